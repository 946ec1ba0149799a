package dev.helios4j.local;

import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Settings and clients for tests: a private cache folder, no user configuration. */
public final class TestModels {
    /** A template that passes the last message through as it is, to reach the demo model's raw completions. */
    static final String RAW_TEMPLATE = "{% for m in messages %}{% if loop.last %}{{ m['content'] }}{% endif %}{% endfor %}";
    private static Path cache;

    private TestModels() {
    }

    public static synchronized Settings settings() {
        if (cache == null) {
            try {
                cache = Files.createTempDirectory("helios4j-test-cache");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home")).with("cache-dir", cache.toString());
    }

    /** The demo model with its own ChatML template. */
    static LlmClient demo() {
        return Llm.open("demo", settings());
    }

    /** The demo model answering raw completions: "Hello" gives " world!", "Loop" never ends. */
    static LlmClient demoRaw() {
        return Llm.open("demo", settings().with("llamacpp.chat-template", RAW_TEMPLATE));
    }
}
