package dev.helios4j;

/**
 * A typed answer ({@link LlmClient#chat(ChatRequest, Class)}) that does not fit its type, even
 * after the model was shown what was wrong and asked once more. The message names the type and
 * the problem; {@link #rawText()} keeps the model's last answer exactly as it came, so nothing is
 * lost and it can be inspected or repaired by hand.
 */
public class InvalidAnswerException extends LlmException {
    private static final long serialVersionUID = 1L;

    private final String rawText;

    /**
     * @param message what did not fit and what to do; must not be null
     * @param cause the parse or validation failure, or null
     * @param rawText the model's last answer as it came; null is treated as empty
     */
    public InvalidAnswerException(String message, Throwable cause, String rawText) {
        super(message, cause, rawText);
        this.rawText = rawText == null ? "" : rawText;
    }

    /** @return the model's last answer, exactly as it came; never null */
    public String rawText() {
        return rawText;
    }
}
