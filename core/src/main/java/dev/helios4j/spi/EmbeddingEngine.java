package dev.helios4j.spi;

import dev.helios4j.EmbeddingResponse;
import dev.helios4j.LlmException;
import java.util.List;

/**
 * The optional embedding capability of an engine. A {@link ChatEngine} that can turn texts into
 * vectors also implements this interface, and its provider lists
 * {@link dev.helios4j.Capability#EMBEDDINGS} in {@link LlmProvider#capabilities()}; the conformance
 * kit checks that the two agree.
 *
 * <p>Contract: thread-safe; blocks on the caller's thread; interrupting it cancels the call with
 * {@link dev.helios4j.GenerationCancelledException} and the interrupt flag set again. The client
 * checks the texts before they arrive and the answer after: one vector per text, in order, all of
 * one length.
 */
public interface EmbeddingEngine {

    /**
     * Embeds texts, in order.
     *
     * @param texts one or more texts, none null; never empty
     * @return one vector per text, in the order given, all of one length; with real token counts
     *     or {@link dev.helios4j.Usage#UNKNOWN}; never null
     * @throws LlmException on any failure, including a model that cannot embed (say so, and what
     *     to use instead)
     */
    EmbeddingResponse embed(List<String> texts);
}
