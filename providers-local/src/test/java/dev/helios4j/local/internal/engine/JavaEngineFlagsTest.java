package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** llama-server's spelling of the flags, short and long, and clear failures. */
class JavaEngineFlagsTest {

    @Test
    void shortAndLongFlagsAsLlamaServerSpellsThem() {
        JavaEngineFlags f = JavaEngineFlags.parse(List.of("-m", "/m.gguf", "--host", "127.0.0.1", "--port", "0",
                "--api-key", "k", "-c", "4096", "-t", "1", "-tb", "2", "-np", "3", "-ngl", "all",
                "--chat-template", "chatml", "--alias", "demo,other", "--jinja"));
        assertEquals(new JavaEngineFlags("/m.gguf", "127.0.0.1", 0, List.of("k"), "demo", 4096, 1, 2, 3, 999, "chatml",
                true), f);
        JavaEngineFlags g = JavaEngineFlags.parse(List.of("--model", "/m.gguf", "--ctx-size", "512", "--threads", "-1",
                "--threads-batch", "-1", "--parallel", "-1", "--n-gpu-layers", "auto", "--no-jinja", "-a", "x"));
        assertEquals(new JavaEngineFlags("/m.gguf", "127.0.0.1", JavaEngineFlags.DEFAULT_PORT, List.of(), "x", 512, 0, 0,
                1, 0, null, false), g);
    }

    @Test
    void theNameIsTheAliasOrThePath() {
        assertEquals("/m.gguf", JavaEngineFlags.parse(List.of("-m", "/m.gguf")).modelName());
        assertEquals("demo", JavaEngineFlags.parse(List.of("-m", "/m.gguf", "-a", "demo")).modelName());
    }

    @Test
    void flagsBecomeTheProvidersSettings() {
        Settings s = JavaEngineFlags.parse(List.of("-m", "/m.gguf", "-c", "1024", "-t", "1", "-np", "2",
                "--chat-template", "chatml")).settings();
        assertEquals("1024", s.get("llamacpp.context-size").orElseThrow());
        assertEquals("1", s.get("llamacpp.threads").orElseThrow());
        assertEquals("2", s.get("llamacpp.parallel").orElseThrow());
        assertEquals("chatml", s.get("llamacpp.chat-template").orElseThrow());
    }

    @Test
    void anUnknownFlagIsNamedAndItsValueIsNot() {
        var e = assertThrows(JavaEngineFlags.BadFlagException.class,
                () -> JavaEngineFlags.parse(List.of("-m", "/m.gguf", "--api-key=secret")));
        assertTrue(e.getMessage().contains("'--api-key=...'"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
        assertTrue(assertThrows(JavaEngineFlags.BadFlagException.class,
                () -> JavaEngineFlags.parse(List.of("-m", "/m.gguf", "--mlock"))).getMessage().contains("'--mlock'"));
    }

    @Test
    void badValuesAndAMissingModelSayWhatToDo() {
        assertTrue(assertThrows(JavaEngineFlags.BadFlagException.class,
                () -> JavaEngineFlags.parse(List.of("-m", "/m.gguf", "--port", "http"))).getMessage()
                .contains("--port needs a whole number from 0 to 65535"));
        assertTrue(assertThrows(JavaEngineFlags.BadFlagException.class,
                () -> JavaEngineFlags.parse(List.of("-m"))).getMessage().contains("-m needs a value"));
        assertTrue(assertThrows(JavaEngineFlags.BadFlagException.class,
                () -> JavaEngineFlags.parse(List.of("--port", "0"))).getMessage().contains("-m /path/to/model.gguf"));
        assertTrue(assertThrows(JavaEngineFlags.BadFlagException.class,
                () -> JavaEngineFlags.parse(List.of("-m", "/m.gguf", "-np", "0"))).getMessage().contains("1 or more slots"));
    }

    @Test
    void theKeyNeverShowsInToString() {
        String s = JavaEngineFlags.parse(List.of("-m", "/m.gguf", "--api-key", "s3cret")).toString();
        assertFalse(s.contains("s3cret"), s);
        assertTrue(JavaEngineFlags.parse(List.of("-m", "/m.gguf")).apiKeys().isEmpty());
    }

    @Test
    void keysComeFromTheFlagAFileOrLlamaServersEnvironmentVariable(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        assertEquals(List.of("a", "b"), JavaEngineFlags.parse(List.of("-m", "/m.gguf", "--api-key", "a,b")).apiKeys());
        Path file = java.nio.file.Files.writeString(dir.resolve("keys"), "# the parent's key\nk1\n\nk2\n");
        assertEquals(List.of("k1", "k2"), JavaEngineFlags.parse(List.of("-m", "/m.gguf", "--api-key-file",
                file.toString())).apiKeys());
        assertEquals(List.of("e"), JavaEngineFlags.parse(List.of("-m", "/m.gguf"), Map.of("LLAMA_API_KEY", "e")).apiKeys());
        assertEquals(List.of("f"), JavaEngineFlags.parse(List.of("-m", "/m.gguf", "--api-key", "f"),
                Map.of("LLAMA_API_KEY", "e")).apiKeys(), "the flag wins, as in llama-server");
    }
}
