package dev.helios4j.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.Capability;
import dev.helios4j.ContextLengthExceededException;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.Embeddings;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.local.internal.gguf.DemoFiles;
import dev.helios4j.local.internal.gguf.DemoModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Embeddings on real llama.cpp and the generated demo model, in this JVM and in the engine
 * process. The demo model's vector of a text is the one-hot vector of its last token (no layer
 * mixes tokens, and a chat model is pooled by its last token), so designed pairs give exactly 1
 * and every other pair exactly 0.
 */
class LocalEmbeddingsTest {
    static final List<String> TEXTS = List.of("The sky is blue.", "Why is the sky blue.", "Hello world!", "Hello, world!",
            "Hello");

    private static LlmClient open(String isolation) {
        return Llm.open("demo", TestModels.settings().with("llamacpp.isolation", isolation));
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-process", "process"})
    void theDemoModelEmbedsDesignedPairsAlikeAndChatsOn(String isolation) {
        try (LlmClient llm = open(isolation)) {
            assertTrue(llm.capabilities().contains(Capability.EMBEDDINGS));
            EmbeddingResponse r = llm.embeddings(TEXTS);
            assertEquals(TEXTS.size(), r.vectors().size());
            assertEquals(DemoFiles.width(), r.dimensions(), "the demo model's width");
            double[][] c = Embeddings.cosineMatrix(r.toArray());
            assertEquals(1.0, c[0][1], 1e-6, "both end in ' blue.'");
            assertEquals(1.0, c[2][3], 1e-6, "both end in '!'");
            assertEquals(0.0, c[0][2], 1e-6);
            assertEquals(0.0, c[3][4], 1e-6);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertEquals(1.0, Embeddings.cosine(r.vectors().get(i), llm.embed(TEXTS.get(i))), 1e-6,
                        "a text alone gives its vector in the list");
            }
            // BOS + 4 + BOS + 6 ... as the engine's tokenizer counts them; at least one per text and its BOS.
            assertTrue(r.usage().promptTokens() > 2 * TEXTS.size(), r.usage().toString());
            assertEquals(0, r.usage().completionTokens());
            assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hi"), "embedding uses a load of its own; chat goes on");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-process", "process"})
    void aTextLongerThanOneBatchIsRefusedWithTheLimit(String isolation) {
        try (LlmClient llm = open(isolation)) {
            ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
                    () -> llm.embed(" Hello".repeat(600)));
            assertEquals(512, e.contextTokens(), e.getMessage());
            assertEquals(2, llm.embed(List.of("a", "b")).length, "the client works after the refusal");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"in-process", "process"})
    void aRerankingModelSaysItCannotEmbedButChats(String isolation) throws Exception {
        Path file = Files.createTempDirectory("helios4j-rank").resolve("rank.gguf");
        DemoModels.writeEditedDemo(file, w -> w.putUInt32("llama.pooling_type", 4));
        try (LlmClient llm = Llm.open("llamacpp:" + file, TestModels.settings().with("llamacpp.isolation", isolation))) {
            LlmException e = assertThrows(LlmException.class, () -> llm.embed("Hello"));
            assertTrue(e instanceof InvalidRequestException, e.toString());
            assertTrue(e.getMessage().contains("reranking model"), e.getMessage());
            assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hi"));
        }
    }

    /** The bundled llama.cpp aborts on mean pooling for decoder models (measured): refused before it loads. */
    @ParameterizedTest
    @ValueSource(strings = {"in-process", "process"})
    void meanPoolingOnADecoderIsRefusedBeforeLlamaCppAborts(String isolation) throws Exception {
        Path file = Files.createTempDirectory("helios4j-mean").resolve("mean.gguf");
        DemoModels.writeEditedDemo(file, w -> w.putUInt32("llama.pooling_type", 1));
        try (LlmClient llm = Llm.open("llamacpp:" + file, TestModels.settings().with("llamacpp.isolation", isolation))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> llm.embed("Hello"));
            assertTrue(e.getMessage().contains("mean pooling") && e.getMessage().contains("llamacpp.server"),
                    e.getMessage());
            assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hi"), "the engine is alive");
        }
    }
}
