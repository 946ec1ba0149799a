package dev.helios4j.spi;

import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.LlmException;
import dev.helios4j.StreamListener;
import java.util.List;
import java.util.OptionalInt;

/**
 * One open model, as a provider serves it. Users never see this type: {@code dev.helios4j.LlmClient}
 * wraps it, checks requests before they arrive, measures timings, reports failures uniformly and
 * guards against use after close.
 *
 * <p>Contract for implementations:
 * <ul>
 *   <li>Thread-safe: several threads may call at once; queue or serve them in parallel.</li>
 *   <li>Calls block and call the listener on the caller's thread, in order.</li>
 *   <li>The pieces given to {@link StreamListener#onToken} join to exactly the final text.</li>
 *   <li>Interrupting the calling thread stops generation at once and throws
 *       {@link dev.helios4j.GenerationCancelledException} with the partial text, with the interrupt
 *       flag set again.</li>
 *   <li>Every failure is an {@link LlmException} subtype; a failure after the first piece carries
 *       the partial text.</li>
 *   <li>Never change the request; never call {@link StreamListener#onComplete} (the client does).</li>
 *   <li>Report real token counts, or {@link dev.helios4j.Usage#UNKNOWN}, never zeros.</li>
 * </ul>
 */
public interface ChatEngine extends AutoCloseable {

    /**
     * Produces an answer, passing each piece to the listener as soon as it exists.
     *
     * @param request the checked request; never null
     * @param listener receives the pieces; never null
     * @return the whole answer; never null
     * @throws LlmException on any failure, carrying the text produced so far
     */
    ChatResponse stream(ChatRequest request, StreamListener listener);

    /**
     * Produces a whole answer. Override when the provider has a faster non-streaming path.
     *
     * @param request the checked request; never null
     * @return the whole answer; never null
     * @throws LlmException on any failure
     */
    default ChatResponse chat(ChatRequest request) {
        return stream(request, StreamListener.NONE);
    }

    /**
     * Counts the prompt tokens these messages would take, with the model's own tokenizer and
     * template. Conversations use it to keep their history within a token budget.
     *
     * @param messages the messages; never null
     * @return the count, or empty when this provider cannot count locally
     */
    default OptionalInt countTokens(List<ChatMessage> messages) {
        return OptionalInt.empty();
    }

    /**
     * The models this engine's source offers (a server's {@code /models}, the local cache).
     *
     * @return model names; empty when the source cannot list them
     * @throws LlmException when listing failed
     */
    default List<String> models() {
        return List.of();
    }

    /**
     * The model's context window, when known.
     *
     * @return the number of tokens prompt and answer may share, or empty
     */
    default OptionalInt contextLength() {
        return OptionalInt.empty();
    }

    /**
     * How many calls at once this engine serves well: what a batch uses unless told otherwise.
     * A local model with one slot answers one call at a time (1, the default); a remote server
     * serves many (the OpenAI-compatible provider says 8 per server).
     *
     * @return at least 1
     */
    default int suggestedConcurrency() {
        return 1;
    }

    /**
     * Whether this engine constrains answers to a {@link dev.helios4j.ResponseFormat.Type#JSON_SCHEMA}
     * response format (a grammar, a server's structured outputs). Typed answers
     * ({@code LlmClient.chat(request, Person.class)}) then send their schema as the response format;
     * otherwise they put it in the system message and check the answer, which works on any model
     * that follows instructions. Must be cheap.
     *
     * @return true if JSON-schema response formats are followed; false by default
     */
    default boolean followsJsonSchema() {
        return false;
    }

    /**
     * Releases what this engine holds. Idempotent. Calls after close must throw
     * {@link LlmException}, never hang.
     */
    @Override
    void close();
}
