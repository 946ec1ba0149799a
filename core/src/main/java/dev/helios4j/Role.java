package dev.helios4j;

/** Who wrote a {@link ChatMessage}. */
public enum Role {
    /** Instructions that frame the whole conversation. */
    SYSTEM,
    /** The person asking. */
    USER,
    /** The model; its messages may carry tool calls instead of, or besides, text. */
    ASSISTANT,
    /** The result of a tool call, answering the assistant's call with the same id. */
    TOOL;

    /** @return the lower-case name used by chat templates and the OpenAI format */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
