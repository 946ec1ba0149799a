package dev.helios4j.remote;

/**
 * What {@link ChunkParser} reads out of a chunk, told as it reads it: the parser knows the wire
 * format and nothing of how an answer is assembled, and {@link Answer}, which assembles it, knows
 * nothing of JSON. Called on the caller's thread, in the order the fields arrive.
 */
interface ChunkEvents {
    /**
     * Whether the model is known already. Servers name it on every chunk; once it is known the
     * parser skips the field instead of making a String of it each time (about 55 bytes a chunk).
     */
    boolean knowsModel();

    /** The model that answers, as the server names it; told until {@link #knowsModel()}. */
    void model(String model);

    /** A piece of the answer's text. */
    void content(String piece);

    /** A piece of a refusal, which OpenAI streams instead of content. */
    void refusal(String piece);

    /** A fragment of a tool call; fragments with one index make one call. Nulls were not sent. */
    void toolCallDelta(int index, String id, String name, String arguments);

    /** {@code finish_reason} as sent, such as {@code stop} or {@code length}. */
    void finishReason(String reason);

    /** vLLM's {@code stop_reason}: the stop string that ended the answer. */
    void stopReason(String reason);

    /** The {@code usage} object's counts; -1 for one not sent. */
    void usage(int promptTokens, int completionTokens);

    /** llama.cpp's {@code timings}: NaN or -1 for what was not sent. */
    void timings(double tokensPerSecond, int promptTokens, int predictedTokens);

    /** The chunk carries an {@code error} object instead of an answer. */
    void error();
}
