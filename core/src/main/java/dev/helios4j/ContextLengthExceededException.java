package dev.helios4j;

/**
 * A prompt that does not fit in the model's context window. Carries both numbers so a caller can
 * shorten the prompt, raise the context size, or let a {@link Conversation} drop its oldest turns.
 */
public class ContextLengthExceededException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;

    private final int promptTokens;
    private final int contextTokens;

    /**
     * @param promptTokens the tokens the prompt needs
     * @param contextTokens the tokens the context holds
     * @param advice what the caller can do, appended to the message; must not be null
     */
    public ContextLengthExceededException(int promptTokens, int contextTokens, String advice) {
        super("The prompt needs " + promptTokens + " tokens but the context holds " + contextTokens
                + ". " + advice);
        this.promptTokens = promptTokens;
        this.contextTokens = contextTokens;
    }

    /** @return the number of tokens the prompt needs */
    public int promptTokens() {
        return promptTokens;
    }

    /** @return the number of tokens the model's context holds */
    public int contextTokens() {
        return contextTokens;
    }
}
