package dev.helios4j.local.internal.gguf;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small random-weight model loads and runs in llama.cpp: the benchmark model's format is real. */
class RandomModelNativeTest {

    @TempDir
    static Path dir;
    private static LlamaModel model;
    private static GgufHeader header;

    @BeforeAll
    static void load() throws IOException {
        Path file = DemoModels.writeRandom(dir.resolve("random.gguf"),
                new DemoModels.RandomShape(1000, 128, 2, 4, 256, 256, 1));
        header = GgufHeader.read(file);
        model = NativeModels.load(file, 256);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void tokenizerOfThePaddedVocabularyFindsTheWordPieces() {
        @SuppressWarnings("unchecked")
        List<String> tokens = (List<String>) header.get("tokenizer.ggml.tokens").orElseThrow();
        int hello = tokens.indexOf("\u2581Hello");
        int world = tokens.indexOf("\u2581world");
        assertArrayEquals(new int[] {hello, world}, model.encode("Hello world"));
    }

    @Test
    void generatesUpToTheTokenLimitWithRandomWeights() {
        String text = model.complete(new InferenceParameters("Hello world").setTemperature(0)
                .setIgnoreEos(true).setNPredict(8));
        // Random weights answer nonsense; 8 tokens of at most 4 letters or one byte each.
        assertTrue(text.length() <= 8 * 5, text);
    }
}
