package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

    @Test
    void aTrailingCommentInTheFileIsCutOffWithAWarningNamingKeyFileAndFix() throws Exception {
        // The README's example as it was: properties files have no comments after a value.
        writeConfig("model=openai:gpt-4o-mini          # what Llm.open() opens; without it, demo\n"
                + "alias.fast=openai:gpt-4o-mini     # Llm.open(\"fast\")\n"
                + "openai.api-key=sk-inline-secret-1 #\n");
        Path file = home.resolve(".config/helios4j/config.properties");
        try (LogRecorder log = new LogRecorder(Settings.class)) {
            Settings s = Settings.of(Map.of(), Map.of(), home);
            assertEquals(Optional.of("openai:gpt-4o-mini"), s.get("model"));
            assertEquals("openai:gpt-4o-mini", s.aliases().get("fast"));
            assertEquals(Optional.of("sk-inline-secret-1"), s.get("openai.api-key"));
            List<String> warnings = log.warnings();
            assertEquals(3, warnings.size(), warnings.toString());
            String model = warnings.stream().filter(w -> w.contains(" model ")).findFirst().orElseThrow();
            assertTrue(model.contains(file.toString()), model);
            assertTrue(model.contains("a line of its own"), model);
            assertFalse(String.join("\n", warnings).contains("sk-inline-secret"), "a value is never logged");

            Settings.of(Map.of(), Map.of(), home); // read again, as every Llm.open() does
            assertEquals(3, log.warnings().size(), "each key is warned about once");
        }
    }

    @Test
    void aHashAfterASpaceThatIsNotACommentIsKeptButWarnedAbout() throws Exception {
        writeConfig("llamacpp.chat-template={# a Jinja comment #}{{ messages }}\n"
                + "alias.first=llamacpp:/models/take #1/m.gguf\n"
                + "openai.base-url=http://host/v1#fragment\n");
        try (LogRecorder log = new LogRecorder(Settings.class)) {
            Settings s = Settings.of(Map.of(), Map.of(), home);
            assertEquals(Optional.of("{# a Jinja comment #}{{ messages }}"), s.get("llamacpp.chat-template"));
            assertEquals("llamacpp:/models/take #1/m.gguf", s.aliases().get("first"));
            assertEquals(Optional.of("http://host/v1#fragment"), s.get("openai.base-url"));
            List<String> warnings = log.warnings();
            assertEquals(2, warnings.size(), warnings.toString());
            assertTrue(warnings.stream().allMatch(w -> w.contains("kept as part of the value")), warnings.toString());
        }
    }

    @Test
    void aConfigFileNamedByTheEnvironmentThatDoesNotExistIsWarnedAbout() {
        Path missing = home.resolve("no-such-dir/helios4j.properties");
        try (LogRecorder log = new LogRecorder(Settings.class)) {
            Settings s = Settings.of(Map.of(), Map.of("HELIOS4J_CONFIG", missing.toString()), home);
            assertEquals(missing, s.configFile());
            assertEquals(Optional.empty(), s.get("model"));
            List<String> warnings = log.warnings();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.get(0).contains(missing.toString()), warnings.get(0));
            assertTrue(warnings.get(0).contains("HELIOS4J_CONFIG"), warnings.get(0));
            assertTrue(warnings.get(0).contains("does not exist"), warnings.get(0));
        }
    }

    @Test
    void aConfigPathStartingWithTildeIsUnderTheHomeDirectory() throws Exception {
        Files.writeString(home.resolve("mine.properties"), "model=openai:from-tilde\n");
        try (LogRecorder log = new LogRecorder(Settings.class)) {
            Settings s = Settings.of(Map.of("helios4j.config", "~/mine.properties"), Map.of(), home);
            assertEquals(Optional.of("openai:from-tilde"), s.get("model"));
            assertEquals(List.of(), log.warnings());
        }
    }

    @ParameterizedTest
    @CsvSource({"P999999999D", "P366D", "9000h", "99999999999999ms", "1e400s", "PT8784H1S"})
    void absurdDurationsAreRefusedNamingTheKeyAndTheRange(String text) {
        Settings s = Settings.of(Map.of(), Map.of(), home).with("openai.timeout.total", text);
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> s.getDuration("openai.timeout.total", Duration.ZERO));
        assertTrue(e.getMessage().contains("openai.timeout.total"), e.getMessage());
        assertTrue(e.getMessage().contains("from 0 to 365 days"), e.getMessage());
        assertTrue(e.getMessage().contains("set it to 0"), e.getMessage());
    }

    @Test
    void aYearIsTheLongestDuration() {
        Settings s = Settings.of(Map.of(), Map.of(), home);
        assertEquals(Duration.ofDays(365), s.with("d", "P365D").getDuration("d", null));
        assertEquals(Duration.ofDays(365), s.with("d", "8760h").getDuration("d", null));
    }

    @ParameterizedTest
    @CsvSource({"soon", "-5s", "5x", "ms", "NaNs", "Infinity"})
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
