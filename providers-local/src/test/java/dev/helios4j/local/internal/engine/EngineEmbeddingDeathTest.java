package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.LlmException;
import dev.helios4j.Settings;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.EmbeddingEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Embedding runs native code in helios4j's engine process: when that process dies (as llama.cpp's
 * aborts end it), the caller gets an LlmException saying how, and the next call a fresh engine.
 */
class EngineEmbeddingDeathTest {

    @Test
    void aKilledEngineFailsTheNextEmbeddingClearlyAndTheOneAfterWorks() throws Exception {
        Settings settings = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"))
                .with("cache-dir", EngineTests.cache().toString()).with("llamacpp.keep-alive", "0");
        try (ChatEngine engine = EngineTests.open(settings)) {
            EmbeddingEngine embedder = (EmbeddingEngine) engine;
            List<String> texts = List.of("The sky is blue.", "Hello world!");
            float[] before = embedder.embed(texts).vectors().get(0);
            EngineProcess process = EngineTests.process(engine);
            assertTrue(process.engineHandle().orElseThrow().destroyForcibly());
            assertTrue(process.awaitExit(Duration.ofSeconds(30)), "the killed engine did not end");

            LlmException e = assertThrows(LlmException.class, () -> embedder.embed(texts));
            assertTrue(e.getMessage().contains("SIGKILL") && e.getMessage().contains("next call starts a new engine"),
                    e.getMessage());
            assertArrayEquals(before, embedder.embed(texts).vectors().get(0), "a fresh engine, the same vector");
            assertEquals(2, embedder.embed(texts).vectors().size());
        }
    }
}
