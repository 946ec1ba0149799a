package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SettingsTest {
    @TempDir
    Path home;

    private void writeConfig(String text) throws Exception {
        Path file = home.resolve(".config/helios4j/config.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void codeBeatsSystemPropertyBeatsEnvironmentBeatsFile() throws Exception {
        writeConfig("openai.base-url=http://file\nmodel=file-model\n");
        Settings fileOnly = Settings.of(Map.of(), Map.of(), home);
        assertEquals(Optional.of("http://file"), fileOnly.get("openai.base-url"));

        Settings env = Settings.of(Map.of(), Map.of("HELIOS4J_OPENAI_BASE_URL", "http://env"), home);
        assertEquals(Optional.of("http://env"), env.get("openai.base-url"));

        Settings props = Settings.of(Map.of("helios4j.openai.base-url", "http://prop"),
                Map.of("HELIOS4J_OPENAI_BASE_URL", "http://env"), home);
        assertEquals(Optional.of("http://prop"), props.get("openai.base-url"));
        assertEquals(Optional.of("http://code"), props.with("openai.base-url", "http://code").get("openai.base-url"));
        assertEquals(Optional.of("file-model"), props.get("model"));
    }

    @Test
    void blankValuesCountAsUnset() {
        Settings s = Settings.of(Map.of("helios4j.model", "  "), Map.of("HELIOS4J_MODEL", "openai:x"), home);
        assertEquals(Optional.of("openai:x"), s.get("model"));
    }

    @Test
    void aliasesComeFromEveryLayerHighestWinning() throws Exception {
        writeConfig("alias.fast=openai:gpt-4o-mini\nalias.local=llamacpp:/m.gguf\n");
        Settings s = Settings.of(Map.of("helios4j.alias.fast", "openai:gpt-4.1-nano"),
                Map.of("HELIOS4J_ALIAS_SMART", "openai:o3"), home);
        Map<String, String> aliases = s.aliases();
        assertEquals("openai:gpt-4.1-nano", aliases.get("fast"));
        assertEquals("llamacpp:/m.gguf", aliases.get("local"));
        assertEquals("openai:o3", aliases.get("smart"));
        assertEquals(new ModelSpec("openai", "o3"), ModelSpec.resolve("SMART", s));
    }

    @Test
    void aliasesCanChainButNotLoop() {
        Settings s = Settings.of(Map.of(), Map.of(), home).with("alias.a", "b").with("alias.b", "demo");
        assertEquals(new ModelSpec("llamacpp", "demo"), ModelSpec.resolve("a", s));
        Settings loop = s.with("alias.b", "a");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ModelSpec.resolve("a", loop));
        assertTrue(e.getMessage().contains("loop"), e.getMessage());
    }

    @Test
    void specKeepsEverythingAfterTheFirstColon() {
        Settings s = Settings.of(Map.of(), Map.of(), home);
        assertEquals(new ModelSpec("llamacpp", "hf:org/repo/file.gguf@main"), ModelSpec.resolve("llamacpp:hf:org/repo/file.gguf@main", s));
        assertEquals(new ModelSpec("openai", "gpt-4o-mini"), ModelSpec.resolve("OpenAI:gpt-4o-mini", s));
        assertEquals(new ModelSpec("llamacpp", "demo"), ModelSpec.resolve("demo", s));
    }

    @Test
    void configFileLocationFollowsXdgAndExplicitSetting() {
        assertEquals(home.resolve(".config/helios4j/config.properties"), Settings.of(Map.of(), Map.of(), home).configFile());
        assertEquals(Path.of("/x/helios4j/config.properties"),
                Settings.of(Map.of(), Map.of("XDG_CONFIG_HOME", "/x"), home).configFile());
        assertEquals(Path.of("/etc/h.properties"),
                Settings.of(Map.of("helios4j.config", "/etc/h.properties"), Map.of(), home).configFile());
    }

    @Test
    void unreadableConfigFileIsAClearError() throws Exception {
        Path file = home.resolve(".config/helios4j/config.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "bad=\\u00zz\n"); // a malformed unicode escape
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Settings.of(Map.of(), Map.of(), home));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void toStringNeverShowsValues() {
        Settings s = Settings.of(Map.of(), Map.of("HELIOS4J_OPENAI_API_KEY", "sk-secret-123"), home).with("x", "sk-secret-456");
        assertFalse(s.toString().contains("sk-secret"), s.toString());
        Secret key = Secret.of("sk-secret-789");
        assertEquals("****", key.toString());
        assertEquals("bad key **** here", key.redact("bad key sk-secret-789 here"));
    }

    @ParameterizedTest
    @CsvSource({"250ms, PT0.25S", "30s, PT30S", "2m, PT2M", "1.5s, PT1.5S", "1h, PT1H", "PT1M, PT1M", "45, PT45S",
        "0, PT0S"})
    void durationsReadInTheUsualForms(String text, String expected) {
        assertEquals(Duration.parse(expected), Settings.of(Map.of(), Map.of(), home).with("k", text).getDuration("k", null));
    }

    @ParameterizedTest
    @CsvSource({"soon", "-5s", "5x", "ms"})
    void malformedDurationsNameTheKey(String text) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> Settings.of(Map.of(), Map.of(), home).with("openai.timeout.idle", text).getDuration("openai.timeout.idle", null));
        assertTrue(e.getMessage().contains("openai.timeout.idle"), e.getMessage());
    }

    @Test
    void typedValuesFallBackWhenUnsetAndNameTheKeyWhenMalformed() {
        Settings s = Settings.of(Map.of(), Map.of(), home);
        assertEquals(3, s.getInt("n", 3, 1));
        assertEquals(7, s.with("n", "7").getInt("n", 3, 1));
        assertTrue(assertThrows(InvalidRequestException.class, () -> s.with("n", "0").getInt("n", 3, 1))
                .getMessage().contains("n must be a whole number of at least 1, got '0'"));
        assertTrue(s.getBoolean("b", true));
        assertFalse(s.with("b", "off").getBoolean("b", true));
        assertTrue(s.with("b", "YES").getBoolean("b", false));
        assertThrows(InvalidRequestException.class, () -> s.with("b", "maybe").getBoolean("b", true));
        assertEquals(Duration.ofSeconds(9), s.getDuration("d", Duration.ofSeconds(9)));
    }

    @Test
    void rawEnvironmentVariablesAreReadFromTheEnvironmentLayer() {
        Settings s = Settings.of(Map.of(), Map.of("OPENAI_API_KEY", "k"), home);
        assertEquals(Optional.of("k"), s.env("OPENAI_API_KEY"));
        assertEquals(Optional.empty(), s.env("HF_HOME"));
    }
}
