package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.EmbeddingResponse;
import dev.helios4j.Embeddings;
import dev.helios4j.Settings;
import dev.helios4j.local.internal.gguf.DemoFiles;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.EmbeddingEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code llamacpp.server}, embeddings come from a second real llama-server started with
 * {@code --embeddings --pooling last}, and give the demo model's designed vectors as the bundled
 * llama.cpp does; the chat engine is left as it was.
 */
class LlamaServerEmbeddingsTest {

    @Test
    void aSecondLlamaServerEmbedsAndTheFirstKeepsChatting() {
        Settings settings = EngineTests.raw(LlamaServerBinary.require()).with("llamacpp.keep-alive", "0");
        ChatEngine engine = EngineTests.open(settings);
        try {
            EngineProcess chat = EngineTests.process(engine);
            List<String> texts = List.of("The sky is blue.", "Why is the sky blue.", "Hello world!");
            EmbeddingResponse r = ((EmbeddingEngine) engine).embed(texts);
            EngineProcess embedding = ((ServerEngine) engine).embeddingProcess()
                    .orElseThrow(() -> new AssertionError("no second engine embeds"));
            assertNotEquals(chat.port(), embedding.port(), "a second engine embeds");
            List<String> args = List.of(embedding.engineHandle().orElseThrow().info().arguments().orElse(new String[0]));
            assertTrue(args.contains("--embeddings") && args.containsAll(List.of("--pooling", "last")), args.toString());
            assertEquals(DemoFiles.width(), r.dimensions(), "the demo model's width");
            assertEquals(1.0, Embeddings.cosine(r.vectors().get(0), r.vectors().get(1)), 1e-6);
            assertEquals(0.0, Embeddings.cosine(r.vectors().get(0), r.vectors().get(2)), 1e-6);
            assertTrue(r.usage().promptTokens() > texts.size(), r.usage().toString());
            assertEquals(" world!", engine.chat(dev.helios4j.ChatRequest.of(DemoModels.HELLO_PROMPT)).text());
            assertEquals(chat.port(), EngineTests.process(engine).port(), "the chat engine was not restarted");
        } finally {
            engine.close();
        }
    }
}
