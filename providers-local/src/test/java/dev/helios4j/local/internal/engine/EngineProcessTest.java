package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The supervision itself, on real processes that stand in for an engine where a real one cannot
 * be made to misbehave on demand: a shell that aborts with llama.cpp's assert text, and one that
 * never becomes healthy (as a model whose template takes minutes to load). Each runs both bare
 * (as the Java engine server) and under the watchdog shell (as llama-server).
 */
class EngineProcessTest {

    private static EngineCommand standIn(String script, boolean underWatchdog) {
        return new EngineCommand("stand-in", Path.of("/bin/sh"), List.of("-c", script, "stand-in"), !underWatchdog, true);
    }

    @ParameterizedTest(name = "under the watchdog: {0}")
    @ValueSource(booleans = {false, true})
    void anAbortBeforeReadyIsReportedWithTheSignalAndTheLastLines(boolean underWatchdog) {
        String script = "echo 'llama_model_load: loading'; echo 'GGML_ASSERT(n_tokens > 0) failed' >&2; kill -ABRT $$";
        LlmException e = assertThrows(LlmException.class,
                () -> EngineProcess.start(standIn(script, underWatchdog), Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("SIGABRT"), e.getMessage());
        assertTrue(e.getMessage().contains("exit code 134"), e.getMessage());
        assertTrue(e.getMessage().contains("GGML_ASSERT(n_tokens > 0) failed"), e.getMessage());
        assertTrue(e.getMessage().contains("llama_model_load: loading"), e.getMessage());
    }

    @ParameterizedTest(name = "under the watchdog: {0}")
    @ValueSource(booleans = {false, true})
    void interruptingTheCallerStopsAHangingStartAtOnce(boolean underWatchdog, @TempDir Path dir) throws Exception {
        Path pidFile = dir.resolve("pid");
        String script = "echo $$ > " + pidFile + ".tmp && mv " + pidFile + ".tmp " + pidFile + "; exec sleep 600";
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                EngineProcess.start(standIn(script, underWatchdog), Duration.ofMinutes(5)).stop();
                outcome.complete(null);
            } catch (Throwable t) {
                flagKept.set(Thread.currentThread().isInterrupted());
                outcome.complete(t);
            }
        });
        caller.start();
        long pid = awaitPid(pidFile);
        long interruptedAt = System.nanoTime();
        caller.interrupt();
        Throwable t = outcome.get(10, TimeUnit.SECONDS);
        long backMillis = (System.nanoTime() - interruptedAt) / 1_000_000;
        System.out.println("interrupted start returned in " + backMillis + " ms (watchdog: " + underWatchdog + ")");
        assertInstanceOf(LlmException.class, t);
        assertTrue(t.getMessage().contains("interrupted") && t.getMessage().contains("stopped"), t.getMessage());
        assertTrue(flagKept.get(), "the interrupt flag must be set again");
        assertTrue(backMillis < 2000, "the caller came back after " + backMillis + " ms; the design says within a second");
        assertTrue(EngineTests.gone(pid), "the hanging engine " + pid + " must be gone when start returns");
    }

    @ParameterizedTest(name = "under the watchdog: {0}")
    @ValueSource(booleans = {false, true})
    void anEngineThatNeverBecomesReadyTimesOutNamingTheSetting(boolean underWatchdog, @TempDir Path dir)
            throws Exception {
        Path pidFile = dir.resolve("pid");
        String script = "echo $$ > " + pidFile + "; echo 'still loading'; exec sleep 600";
        LlmTimeoutException e = assertThrows(LlmTimeoutException.class,
                () -> EngineProcess.start(standIn(script, underWatchdog), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("llamacpp.start-timeout"), e.getMessage());
        assertTrue(e.getMessage().contains("still loading"), e.getMessage());
        assertTrue(EngineTests.gone(Long.parseLong(Files.readString(pidFile).strip())), "the engine must be stopped");
    }

    @ParameterizedTest(name = "under the watchdog: {0}")
    @ValueSource(booleans = {false, true})
    void aMissingProgramFailsSayingSo(boolean underWatchdog) {
        EngineCommand missing = new EngineCommand("llama-server", Path.of("/nonexistent/llama-server"), List.of(),
                !underWatchdog, true);
        LlmException e = assertThrows(LlmException.class, () -> EngineProcess.start(missing, Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("/nonexistent/llama-server"), e.getMessage());
        assertTrue(underWatchdog ? e.getMessage().contains("exited with code 127") : e.getMessage().contains("Could not start"),
                e.getMessage());
    }

    @ParameterizedTest(name = "under the watchdog: {0}")
    @ValueSource(booleans = {false, true})
    void argumentsReachTheEngineByteForByte(boolean underWatchdog, @TempDir Path dir) throws Exception {
        // A chat template with outer spaces, a trailing newline and ${...} must not be trimmed or expanded.
        String template = "  {{ '${HOME}' }}\n";
        Path out = dir.resolve("args");
        String script = "printf '%s' \"$1\" > " + out + "; exit 3";
        EngineCommand c = new EngineCommand("stand-in", Path.of("/bin/sh"), List.of("-c", script, "stand-in", template),
                !underWatchdog, true);
        LlmException e = assertThrows(LlmException.class, () -> EngineProcess.start(c, Duration.ofMinutes(1)));
        assertTrue(e.getMessage().contains("exited with code 3"), e.getMessage());
        assertEquals(template, Files.readString(out));
    }

    private static long awaitPid(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file)) {
            assertTrue(System.nanoTime() - deadline < 0, "the stand-in engine did not start within 30 s");
            Thread.sleep(20); // polling for another process's file
        }
        try {
            return Long.parseLong(Files.readString(file).strip());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

}
