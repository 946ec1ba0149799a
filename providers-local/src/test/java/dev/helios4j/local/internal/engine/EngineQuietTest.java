package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.LlmClient;
import dev.helios4j.Llm;
import dev.helios4j.Settings;
import dev.helios4j.local.internal.gguf.DemoModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a local model through its engine process warns about nothing the user did. */
class EngineQuietTest {

    @Test
    void openingAModelInAnEngineLogsNoWarning(@TempDir Path dir) throws Exception {
        List<LogRecord> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        Path home = Files.createDirectories(dir.resolve("home"));
        Settings settings = Settings.of(Map.of(), Map.of(), home).with("cache-dir", dir.resolve("cache").toString())
                .with("llamacpp.keep-alive", "0");
        try (LlmClient llm = Llm.open("demo", settings)) {
            assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hello"));
        } finally {
            root.removeHandler(handler);
        }
        assertTrue(warnings.isEmpty(), () -> "warnings: " + warnings.stream()
                .map(r -> r.getLoggerName() + ": " + r.getMessage()).toList());
    }
}
