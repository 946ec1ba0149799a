package dev.helios4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.helios4j.Capability;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.Embeddings;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.UnsupportedCapabilityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The embedding part of {@link ProviderConformanceKit}, which implements it: a provider that lists
 * {@link Capability#EMBEDDINGS} must embed texts consistently; one that does not must say so
 * clearly. Override {@link #embeddingTexts()} when the defaults do not suit the model.
 */
public interface EmbeddingConformance {
    /** Near-equal: the same text embedded twice, alone or in a batch, may differ by rounding. */
    double SAME = 0.9999;

    /** @return the client the kit opened for the class */
    LlmClient sharedClient();

    /** @return a new client on the same model; the caller closes it */
    LlmClient freshClient();

    /** @return three or more texts the model tells apart: no two may give (nearly) the same vector */
    default List<String> embeddingTexts() {
        return List.of("The sky is blue.", "Hello world!", "Count from one to ten, in words.");
    }

    private LlmClient embeddingClient() {
        LlmClient client = sharedClient();
        assumeTrue(client.capabilities().contains(Capability.EMBEDDINGS),
                "the provider '" + client.provider() + "' does not list embeddings among its capabilities");
        return client;
    }

    @Test
    default void capabilitiesIncludeChat() {
        assertTrue(sharedClient().capabilities().contains(Capability.CHAT), "capabilities: " + sharedClient().capabilities());
    }

    @Test
    default void embeddingsKeepTheOrderOfTheTexts() {
        LlmClient client = embeddingClient();
        List<String> texts = embeddingTexts();
        float[][] together = client.embed(texts);
        assertEquals(texts.size(), together.length, "one vector per text");
        for (int i = 0; i < texts.size(); i++) {
            float[] alone = client.embed(texts.get(i));
            assertEquals(together[0].length, alone.length, "every vector has the same number of dimensions");
            assertTrue(Embeddings.cosine(alone, together[i]) > SAME, "text " + i + " embedded alone and in a list "
                    + "must give the same vector: cosine " + Embeddings.cosine(alone, together[i]));
            for (int j = 0; j < i; j++) {
                assertTrue(Embeddings.cosine(together[j], together[i]) < SAME, "texts " + j + " and " + i
                        + " gave the same vector; the provider ignores the text (or override embeddingTexts())");
            }
        }
        float[][] reversed = client.embed(reversed(texts));
        for (int i = 0; i < texts.size(); i++) {
            assertTrue(Embeddings.cosine(together[i], reversed[texts.size() - 1 - i]) > SAME,
                    "the vectors must follow the order of the texts");
        }
    }

    @Test
    default void aLongListKeepsItsOrderAndDimensions() {
        LlmClient client = embeddingClient();
        List<String> base = embeddingTexts();
        float[][] once = client.embed(base);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 70; i++) { // more than one batch of the usual limits (64)
            many.add(base.get(i % base.size()));
        }
        EmbeddingResponse response = client.embeddings(many);
        assertEquals(many.size(), response.vectors().size());
        assertEquals(once[0].length, response.dimensions());
        for (int i = 0; i < many.size(); i++) {
            assertTrue(Embeddings.cosine(once[i % base.size()], response.vectors().get(i)) > SAME, "vector " + i);
        }
        assertNotNull(response.usage());
        if (response.usage().isKnown()) {
            assertTrue(response.usage().promptTokens() > 0, "usage must count the texts' tokens: " + response.usage());
            assertEquals(0, response.usage().completionTokens(), "embedding completes nothing: " + response.usage());
        }
    }

    @Test
    default void anEmptyListGivesNoVectors() {
        LlmClient client = embeddingClient();
        assertEquals(0, client.embed(List.of()).length);
        assertEquals(0, client.embeddings(List.of()).vectors().size());
    }

    @Test
    default void eachCallReturnsFreshArrays() {
        LlmClient client = embeddingClient();
        String text = embeddingTexts().get(0);
        float[] first = client.embed(text);
        float[] copy = Arrays.copyOf(first, first.length);
        Arrays.fill(first, 0f);
        try {
            assertArrayEquals(copy, client.embed(text), 1e-4f, "a caller's change to a vector must not reach the next call");
        } finally {
            System.arraycopy(copy, 0, first, 0, copy.length); // a provider that shares arrays must not fail other checks
        }
    }

    @Test
    default void badTextsAndClosedClientsFailWithLlmExceptions() {
        LlmClient client = embeddingClient();
        assertThrows(InvalidRequestException.class, () -> client.embed(Arrays.asList("a", null)));
        assertThrows(InvalidRequestException.class, () -> client.embed((List<String>) null));
        LlmClient other = freshClient();
        other.close();
        assertThrows(LlmException.class, () -> other.embed("Hello"), "a call after close");
    }

    @Test
    default void withoutTheCapabilityEmbeddingFailsClearly() {
        LlmClient client = sharedClient();
        assumeTrue(!client.capabilities().contains(Capability.EMBEDDINGS), "the provider lists embeddings");
        LlmException e = assertThrows(LlmException.class, () -> client.embed(List.of("Hello")));
        UnsupportedCapabilityException u = assertInstanceOf(UnsupportedCapabilityException.class, e);
        assertEquals(Capability.EMBEDDINGS, u.capability());
        assertTrue(e.getMessage().contains("cannot embed"), e.getMessage());
    }

    private static List<String> reversed(List<String> texts) {
        List<String> r = new ArrayList<>(texts);
        java.util.Collections.reverse(r);
        return r;
    }
}
