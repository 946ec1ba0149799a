package dev.helios4j;

/**
 * What a provider can do besides answering chats, as {@link Llm#providers()} and
 * {@link LlmClient#capabilities()} show it.
 */
public enum Capability {
    /** Chat answers, blocking and streamed: every provider has this. */
    CHAT,
    /** Vectors for texts: {@link LlmClient#embed(java.util.List)}. */
    EMBEDDINGS;

    /** @return the lower-case name shown to users, such as {@code embeddings} */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
