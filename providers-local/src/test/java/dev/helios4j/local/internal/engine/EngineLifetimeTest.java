package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.ChatRequest;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.Llm;
import dev.helios4j.LlmException;
import dev.helios4j.Settings;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.spi.ChatEngine;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How engines live and die, with the real llama-server: killed engines are reported and replaced,
 * closed ones stop, warm ones wait for the keep-alive, and none outlives the JVM that started it.
 * Each test has settings of its own (a different context size), hence an engine of its own.
 */
class EngineLifetimeTest {
    private static Path server;

    @BeforeAll
    static void binary() {
        server = LlamaServerBinary.require();
    }

    private static Settings own(int contextSize, String keepAlive) {
        return EngineTests.raw(server).with("llamacpp.context-size", Integer.toString(contextSize))
                .with("llamacpp.keep-alive", keepAlive);
    }

    private static ChatRequest hello() {
        return ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0).build();
    }

    @Test
    void aKilledEngineFailsTheNextCallNamingTheSignalAndTheCallAfterStartsAFreshOne() throws Exception {
        try (ChatEngine engine = EngineTests.open(own(1024, "0"))) {
            assertEquals(DemoModels.HELLO_ANSWER, engine.chat(hello()).text());
            EngineProcess process = EngineTests.process(engine);
            ProcessHandle first = process.engineHandle().orElseThrow();
            assertTrue(first.destroyForcibly());
            // Seen dead before the call (the call finds it dead; a kill during a call is the next test).
            assertTrue(process.awaitExit(Duration.ofSeconds(30)), "the killed engine did not end");

            LlmException e = assertThrows(LlmException.class, () -> engine.chat(hello()));
            System.out.println("after kill -9 of the engine: " + e.getMessage());
            assertTrue(e.getMessage().contains("SIGKILL") && e.getMessage().contains("since the last call"), e.getMessage());
            assertTrue(e.getMessage().contains("next call starts a new engine"), e.getMessage());
            assertTrue(e.getMessage().contains("listening on http://127.0.0.1:"), "its last lines: " + e.getMessage());

            assertEquals(DemoModels.HELLO_ANSWER, engine.chat(hello()).text());
            long second = EngineTests.process(engine).engineHandle().orElseThrow().pid();
            assertNotEquals(first.pid(), second, "a fresh engine");
        }
    }

    @Test
    void anEngineKilledMidAnswerFailsTheCallWithThePartialText() throws Exception {
        // A context of 8192 tokens, which the model's metadata is told it was trained for (llama-server
        // caps a slot at the trained length): "Loop" then runs for many seconds, so the kill lands mid-answer.
        try (ChatEngine engine = EngineTests.open(own(8192, "0")
                .with("llamacpp.server-args", "--override-kv llama.context_length=int:8192"))) {
            ProcessHandle victim = EngineTests.process(engine).engineHandle().orElseThrow();
            List<String> pieces = new ArrayList<>();
            LlmException e = assertThrows(LlmException.class, () -> engine.stream(
                    ChatRequest.builder().user(DemoModels.LOOP_PROMPT).temperature(0).build(), piece -> {
                        pieces.add(piece);
                        if (pieces.size() == 3) {
                            victim.destroyForcibly();
                        }
                    }));
            System.out.println("killed mid-answer: " + e.getMessage() + " [partial: " + e.partialText().length() + " chars]");
            assertFalse(e instanceof GenerationCancelledException, e.toString());
            assertTrue(e.getMessage().contains("SIGKILL") && e.getMessage().contains("during the call"), e.getMessage());
            assertNotNull(e.partialText());
            assertTrue(e.partialText().startsWith(String.join("", pieces.subList(0, 3))), e.partialText());
            assertEquals(String.join("", pieces), e.partialText(), "nothing the listener saw is lost");
            assertEquals(DemoModels.HELLO_ANSWER, engine.chat(hello()).text(), "the next call starts a new engine");
        }
    }

    @Test
    void closingTheLastClientWithZeroKeepAliveStopsTheEngine() {
        int before = EngineRegistry.size();
        ChatEngine engine = EngineTests.open(own(1536, "0"));
        long pid = EngineTests.process(engine).engineHandle().orElseThrow().pid();
        assertEquals(before + 1, EngineRegistry.size());
        engine.close();
        assertTrue(EngineTests.gone(pid), "the engine must be gone when close returns");
        assertEquals(before, EngineRegistry.size());
        assertThrows(LlmException.class, () -> engine.chat(hello()), "calls after close fail");
    }

    @Test
    void anUnusedEngineStaysWarmForTheKeepAliveThenStops() throws Exception {
        ChatEngine first = EngineTests.open(own(1280, "10m"));
        long pid = EngineTests.process(first).engineHandle().orElseThrow().pid();
        first.close();
        try (ChatEngine again = EngineTests.open(own(1280, "10m"))) {
            assertEquals(pid, EngineTests.process(again).engineHandle().orElseThrow().pid(), "reopened warm");
            assertEquals(DemoModels.HELLO_ANSWER, again.chat(hello()).text());
        }
        assertFalse(EngineTests.gone(pid), "still warm after its last client closed");
        ChatEngine last = EngineTests.open(own(1280, "1s"));
        last.close(); // the last client's keep-alive counts: one second
        EngineTests.awaitGone(pid, Duration.ofSeconds(60), "the engine after its 1 s keep-alive");
    }

    @Test
    void aFlagTheEngineRefusesFailsTheOpenWithItsOwnWords() {
        LlmException e = assertThrows(LlmException.class, () -> Llm.open("llamacpp:demo",
                own(1792, "0").with("llamacpp.server-args", "--no-such-flag")));
        assertTrue(e.getMessage().contains("exited with code 1"), e.getMessage());
        assertTrue(e.getMessage().contains("--no-such-flag"), e.getMessage());
    }

    @Test
    void noEngineOutlivesAJvmKilledWithSigkill(@TempDir Path dir) throws Exception {
        Process child = startChild("hold", dir);
        List<ProcessHandle> tree = new ArrayList<>();
        try {
            long enginePid = awaitEnginePid(child, dir);
            tree.addAll(child.descendants().collect(Collectors.toList()));
            assertTrue(tree.stream().anyMatch(h -> h.pid() == enginePid), "the engine runs under the child JVM: " + tree);
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally, nothing runs in that JVM
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM did not die");
            for (ProcessHandle h : tree) {
                EngineTests.awaitGone(h.pid(), Duration.ofSeconds(30), "a process the killed JVM started ("
                        + h.info().command().orElse("?") + ")");
            }
        } finally {
            tree.forEach(ProcessHandle::destroyForcibly); // a failed run must not leave its orphans behind
            child.destroyForcibly();
        }
    }

    @Test
    void aJvmThatUsedAnEngineExitsWithoutSystemExit(@TempDir Path dir) throws Exception {
        Process child = startChild("exit", dir);
        try {
            long enginePid = awaitEnginePid(child, dir);
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the JVM did not exit by itself; its output: "
                    + Files.readString(dir.resolve("stderr")));
            assertEquals(0, child.exitValue(), Files.readString(dir.resolve("stderr")));
            assertEquals("answer " + DemoModels.HELLO_ANSWER, lines.poll(30, TimeUnit.SECONDS));
            EngineTests.awaitGone(enginePid, Duration.ofSeconds(30), "the engine of a JVM that exited");
        } finally {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
    }

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    /** A JVM on the engine's own class path (from the classes' locations) plus these tests. */
    private Process startChild(String mode, Path dir) throws IOException {
        List<String> cp = new ArrayList<>();
        EngineClasspath.classpath().forEach(p -> cp.add(p.toString()));
        cp.add(EngineClasspath.location(EngineChild.class).toString());
        Process p = new ProcessBuilder(EngineClasspath.javaExecutable().toString(), "-cp", String.join(File.pathSeparator, cp),
                EngineChild.class.getName(), mode, server.toString(), EngineTests.cache().toString())
                .redirectError(dir.resolve("stderr").toFile()).start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        });
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    private long awaitEnginePid(Process child, Path dir) throws Exception {
        String line = lines.poll(120, TimeUnit.SECONDS);
        assertNotNull(line, "the child JVM reported no engine within 120 s; its stderr: " + Files.readString(dir.resolve("stderr")));
        assertTrue(line.startsWith("engine "), line);
        return Long.parseLong(line.substring("engine ".length()).strip());
    }
}
