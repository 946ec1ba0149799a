package dev.helios4j.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.local.TestModels;
import dev.helios4j.local.internal.gguf.GgufHeader;
import dev.helios4j.local.internal.gguf.GgufWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default context: the model's trained length, capped so that its KV cache fits in memory. */
class ContextSizeTest {
    private static final long FOUR_GIB = 4L << 30;

    @TempDir
    Path dir;

    /** Only the header matters here, so the file holds metadata and no tensors. */
    private GgufHeader header(long trained, long layers, long width, long heads, long kvHeads) throws Exception {
        Path file = dir.resolve("shape-" + trained + "-" + layers + ".gguf");
        new GgufWriter().putString("general.architecture", "llama")
                .putUInt32("llama.context_length", trained)
                .putUInt32("llama.block_count", layers)
                .putUInt32("llama.embedding_length", width)
                .putUInt32("llama.attention.head_count", heads)
                .putUInt32("llama.attention.head_count_kv", kvHeads)
                .write(file);
        return GgufHeader.read(file);
    }

    private static LocalOptions options(int contextSize) {
        return LocalOptions.from(TestModels.settings().with("llamacpp.context-size", String.valueOf(contextSize)));
    }

    @Test
    void aSmallModelGetsItsWholeTrainedLength() throws Exception {
        assertEquals(2048, ContextSize.of(header(2048, 1, 384, 6, 1), options(0)));
    }

    @Test
    void aLongContextModelIsCappedToFitItsKvCache() throws Exception {
        // 32 layers, 1,024-wide keys and values in f16: 128 KiB of KV cache per token.
        long bytesPerToken = 2L * 32 * (4096L * 8 / 32) * 2;
        int context = ContextSize.of(header(131_072, 32, 4096, 32, 8), options(0));
        assertTrue(context < 131_072, "capped: " + context);
        assertTrue(context * bytesPerToken <= FOUR_GIB, context + " tokens take more than 4 GiB");
        assertTrue(context >= 512 && context % 256 == 0, "a usable, rounded size: " + context);
    }

    @Test
    void aConfiguredSizeWins() throws Exception {
        assertEquals(100_000, ContextSize.of(header(131_072, 32, 4096, 32, 8), options(100_000)));
        assertEquals(512, ContextSize.of(header(2048, 1, 384, 6, 1), options(512)));
    }
}
