package dev.helios4j;

/**
 * Token counts of one call, as counted by the model's own tokenizer or reported by the server.
 * When a provider cannot know them, it reports {@link #UNKNOWN}, never zeros.
 *
 * @param promptTokens tokens in the prompt, or -1 when unknown
 * @param completionTokens tokens in the answer, or -1 when unknown
 * @param totalTokens their sum, or -1 when unknown
 */
public record Usage(int promptTokens, int completionTokens, int totalTokens) {

    /** The counts could not be known (a server that sends no usage, for instance). */
    public static final Usage UNKNOWN = new Usage(-1, -1, -1);

    /** Checks the components; see the class description for the contract. */
    public Usage {
        if (promptTokens < -1 || completionTokens < -1 || totalTokens < -1) {
            throw new IllegalArgumentException("token counts must be >= 0, or -1 for unknown");
        }
    }

    /**
     * @param promptTokens tokens in the prompt, at least 0
     * @param completionTokens tokens in the answer, at least 0
     * @return the counts with their sum
     */
    public static Usage of(int promptTokens, int completionTokens) {
        if (promptTokens < 0 || completionTokens < 0) {
            throw new IllegalArgumentException("token counts must be >= 0");
        }
        return new Usage(promptTokens, completionTokens, promptTokens + completionTokens);
    }

    /** @return whether the counts are known */
    public boolean isKnown() {
        return promptTokens >= 0 && completionTokens >= 0;
    }

    @Override
    public String toString() {
        return isKnown()
                ? promptTokens + " prompt + " + completionTokens + " completion = " + totalTokens + " tokens"
                : "usage unknown";
    }
}
