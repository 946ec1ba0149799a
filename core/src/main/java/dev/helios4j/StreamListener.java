package dev.helios4j;

/**
 * Receives an answer piece by piece while it is produced.
 *
 * <p>Every method is called on the thread that called {@link LlmClient#stream}, in order, never
 * concurrently. The pieces passed to {@link #onToken(String)}, joined, equal the final
 * {@link ChatResponse#text()} exactly. An exception thrown by a listener method stops the
 * generation and propagates unchanged to the caller of {@code stream}.
 */
@FunctionalInterface
public interface StreamListener {

    /** A listener that ignores every piece. */
    StreamListener NONE = piece -> { };

    /**
     * A new piece of the answer's text.
     *
     * @param piece one or more characters; never null or empty
     */
    void onToken(String piece);

    /**
     * The model asked to call a tool; called once per complete call, after its arguments arrived.
     *
     * @param call the complete call; never null
     */
    default void onToolCall(ToolCall call) {
    }

    /**
     * The answer is complete; called once, just before {@code stream} returns it.
     *
     * @param response the final response; never null
     */
    default void onComplete(ChatResponse response) {
    }
}
