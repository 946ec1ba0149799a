package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.kherud.llama.LlamaModel;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.Llm;
import dev.helios4j.Secret;
import dev.helios4j.Settings;
import dev.helios4j.remote.OpenAiProvider;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How engine commands are built and settings read; no process is started. */
class EngineCommandTest {
    private static final EngineFlags FLAGS = new EngineFlags(Path.of("/models/m.gguf"), 4096, 1, 2, 1, 0,
            "{{ messages }}", true, "demo");

    @Test
    void javaServerRunsThisRuntimesJavaWithTheClassesOwnLocations() {
        EngineCommand c = EngineClasspath.javaServer(FLAGS);
        assertEquals(Path.of(System.getProperty("java.home"), "bin", "java"), c.executable());
        List<String> args = c.args();
        int cp = args.indexOf("-cp");
        assertTrue(cp >= 0, args.toString());
        List<String> entries = Arrays.asList(args.get(cp + 1).split(File.pathSeparator));
        for (Class<?> needed : List.of(EngineClasspath.class, Llm.class, LlamaModel.class, ObjectMapper.class,
                org.apache.commons.exec.CommandLine.class, OpenAiProvider.class)) {
            String where = EngineClasspath.location(needed).toString();
            assertTrue(entries.contains(where), needed + " at " + where + " missing from " + entries);
        }
        assertEquals(new HashSet<>(entries).size(), entries.size(), "duplicates in " + entries);
        assertTrue(entries.stream().noneMatch(e -> e.contains("junit")), "the test class path leaked in: " + entries);
        assertEquals(EngineCommand.JAVA_SERVER_CLASS, args.get(cp + 2));
        assertEquals(List.of("-m", "/models/m.gguf", "-c", "4096", "-t", "1", "-tb", "2", "-np", "1", "--jinja",
                "--chat-template", "{{ messages }}", "--alias", "demo"), args.subList(cp + 3, args.size()));
        assertTrue(c.exitsOnStdinEof());
    }

    @Test
    void javaServerGetsHostAndPortAsFlagsAndTheKeyInItsEnvironment() {
        EngineCommand c = EngineCommand.javaServer(Path.of("/jdk/bin/java"), List.of(Path.of("/a.jar")), List.of(), FLAGS);
        List<String> line = c.argv(8123, Secret.of("k3y-value"));
        assertEquals("/jdk/bin/java", line.get(0));
        assertEquals(List.of("--alias", "demo", "--host", "127.0.0.1", "--port", "8123"),
                line.subList(line.size() - 6, line.size()));
        assertFalse(line.contains("k3y-value"), "a command line is visible to every local user");
        assertEquals(Map.of("LLAMA_API_KEY", "k3y-value"), c.environment(Secret.of("k3y-value")));
    }

    @Test
    void llamaServerRunsUnderTheWatchdogWithTheKeyInItsEnvironment() {
        EngineCommand c = EngineCommand.llamaServer(Path.of("/opt/llama-server"), FLAGS, List.of("--flash-attn", "on"));
        String[] line = c.argv(8123, Secret.of("k3y-value")).toArray(new String[0]);
        assertEquals(List.of("/bin/sh", "-c", EngineCommand.WATCHDOG, "helios4j-engine", "/opt/llama-server"),
                List.of(line).subList(0, 5));
        assertEquals(List.of("--alias", "demo", "--flash-attn", "on", "--host", "127.0.0.1", "--port", "8123"),
                List.of(line).subList(line.length - 8, line.length));
        assertFalse(String.join(" ", line).contains("k3y-value"), "the key must not be in the process list");
        assertEquals(Map.of("LLAMA_API_KEY", "k3y-value"), c.environment(Secret.of("k3y-value")));
        assertFalse(c.exitsOnStdinEof());
    }

    @Test
    void gpuLayersAndNoJinjaAppearOnlyWhenAsked() {
        List<String> args = new EngineFlags(Path.of("/m.gguf"), 512, 1, 1, 2, 99, null, false, "x").toArgs();
        assertEquals(List.of("-m", "/m.gguf", "-c", "512", "-t", "1", "-tb", "1", "-np", "2", "-ngl", "99",
                "--no-jinja", "--alias", "x"), args);
    }

    @Test
    void settingsAreReadWithDefaultsAndCheckedNamingTheKey(@TempDir Path dir) throws Exception {
        Settings none = Settings.of(Map.of(), Map.of(), dir);
        EngineOptions d = EngineOptions.from(none);
        assertEquals(EngineOptions.Isolation.PROCESS, d.isolation());
        assertEquals(Duration.ofMinutes(5), d.keepAlive());
        assertEquals(Duration.ofMinutes(5), d.startTimeout());
        assertTrue(d.outOfProcess(), "models run in an engine process by default");

        EngineOptions p = EngineOptions.from(none.with("llamacpp.isolation", "process").with("llamacpp.keep-alive", "0")
                .with("llamacpp.server-args", " --flash-attn  on "));
        assertTrue(p.outOfProcess());
        assertEquals(Duration.ZERO, p.keepAlive());
        assertEquals(List.of("--flash-attn", "on"), p.serverArgs());

        InvalidRequestException bad = assertThrows(InvalidRequestException.class,
                () -> EngineOptions.from(none.with("llamacpp.isolation", "subprocess")));
        assertTrue(bad.getMessage().contains("llamacpp.isolation"), bad.getMessage());
        InvalidRequestException missing = assertThrows(InvalidRequestException.class,
                () -> EngineOptions.from(none.with("llamacpp.server", dir.resolve("nope").toString())));
        assertTrue(missing.getMessage().contains("does not exist") && missing.getMessage().contains("llamacpp.server"),
                missing.getMessage());
        InvalidRequestException auto = assertThrows(InvalidRequestException.class,
                () -> EngineOptions.from(none.with("llamacpp.server", "auto")));
        assertTrue(auto.getMessage().contains("PATH"), auto.getMessage());

        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path server = Files.writeString(bin.resolve("llama-server"), "#!/bin/sh\n");
        assertTrue(server.toFile().setExecutable(true));
        Settings onPath = Settings.of(Map.of(), Map.of("PATH", "/nonexistent" + File.pathSeparator + bin), dir)
                .with("llamacpp.server", "auto");
        assertEquals(server, EngineOptions.from(onPath).server().orElseThrow());
        assertTrue(EngineOptions.from(onPath).outOfProcess());
    }

    @Test
    void exitCodesNameTheSignal() {
        assertTrue(ExitStatus.describe(137).contains("SIGKILL"));
        assertTrue(ExitStatus.describe(134).contains("SIGABRT"));
        assertTrue(ExitStatus.describe(139).contains("SIGSEGV"));
        assertEquals("exited with code 1", ExitStatus.describe(1));
    }
}
