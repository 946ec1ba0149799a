package dev.helios4j.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.LlmClient;
import dev.helios4j.local.internal.gguf.DemoModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A notebook user re-runs the cell that opens a model again and again. The raw binding adds a
 * whole context and a new mapping of the file on every load (close frees nothing); sharing the
 * loaded model must keep that flat. This measures memory, not time, so the machine's load does
 * not make it flaky.
 */
class ModelReuseTest {
    @Test
    void twentyOpensAndClosesOfTheSameModelGrowRssByLessThanTenMegabytes() throws Exception {
        try (LlmClient warm = TestModels.demo()) {
            assertEquals(DemoModels.CHAT_ANSWER, warm.chat("Hello"));
        }
        System.gc();
        long before = rssKb();
        for (int i = 0; i < 20; i++) {
            try (LlmClient llm = TestModels.demo()) {
                assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hello"));
            }
        }
        System.gc();
        long grownKb = rssKb() - before;
        assertTrue(grownKb < 10 * 1024, "RSS grew by " + grownKb + " kB over 20 opens");
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
