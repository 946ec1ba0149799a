package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.fail;

import dev.helios4j.Settings;
import dev.helios4j.local.LlamaCppProvider;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.ProviderContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** Settings, clients and process checks shared by the engine tests. */
final class EngineTests {
    /** Passes the last message through, to reach the demo model's raw completions ("Hello" gives " world!"). */
    static final String RAW_TEMPLATE = "{% for m in messages %}{% if loop.last %}{{ m['content'] }}{% endif %}{% endfor %}";
    private static Path cache;

    private EngineTests() {
    }

    static synchronized Path cache() {
        if (cache == null) {
            try {
                cache = Files.createTempDirectory("helios4j-engine-test");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cache;
    }

    /** The demo model through this llama-server, answering raw completions; no user configuration. */
    static Settings raw(Path server) {
        return Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home")).with("cache-dir", cache().toString())
                .with("llamacpp.server", server.toString()).with("llamacpp.chat-template", RAW_TEMPLATE);
    }

    /** A client as the provider gives it to {@code LlmClient}, so a test can reach its engine process. */
    static ChatEngine open(Settings settings) {
        return new LlamaCppProvider().open(new ProviderContext("llamacpp:demo", "demo", settings));
    }

    static EngineProcess process(ChatEngine engine) {
        return EngineRegistry.processOf(engine).orElseThrow(() -> new AssertionError("no engine runs for " + engine));
    }

    /** The pid of the engine serving these settings (sharing it for a moment). */
    static long enginePid(Settings settings) {
        ChatEngine engine = open(settings);
        try {
            return process(engine).engineHandle().orElseThrow().pid();
        } finally {
            engine.close();
        }
    }

    /** Gone: no such process, or a zombie that only waits for its parent to read its status. */
    static boolean gone(long pid) {
        return ProcessEnd.ended(pid);
    }

    /** Waits, polling, for a process to be gone; the process is not ours to wait on. */
    static void awaitGone(long pid, Duration limit, String what) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!gone(pid)) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + ": process " + pid + " still runs after " + limit.toSeconds() + " s");
            }
            Thread.sleep(50); // polling another process's state; not ordering threads
        }
    }
}
