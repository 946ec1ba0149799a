package dev.helios4j;

/** Why the model stopped producing an answer. */
public enum FinishReason {
    /** The model ended its answer on its own (an end-of-sequence token). */
    STOP,
    /** The answer reached {@link ChatRequest#maxTokens()} or the end of the context. */
    LENGTH,
    /** The answer reached one of {@link ChatRequest#stop()}; the stop text is not included. */
    STOP_SEQUENCE,
    /**
     * The answer was stopped before its end and holds what was produced until then. No
     * {@link LlmClient} call returns it: a cancelled call throws {@link GenerationCancelledException}
     * with the partial text. Helpers that show a stopped answer instead of throwing (the notebooks
     * module's {@code Notebook.stream}) return it.
     */
    CANCELLED,
    /** The model asked to call tools; see {@link ChatResponse#toolCalls()}. */
    TOOL_CALLS,
    /** The server withheld or cut the answer under its content policy. */
    CONTENT_FILTER,
    /** The provider gave a reason helios4j does not know. */
    OTHER
}
