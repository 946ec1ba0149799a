package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A misspelt key under a provider's prefix is named in a warning, with the key that was meant. */
class UnknownSettingsTest {
    private static final List<String> OPENAI_KEYS = List.of("openai.base-url", "openai.api-key",
            "openai.timeout.connect", "openai.timeout.first-byte", "openai.timeout.idle", "openai.timeout.total",
            "openai.retries");

    @TempDir
    Path home;

    @Test
    void eachLayerNamesTheUnknownKeyAndTheNearestKnownOneOnce() throws Exception {
        Path file = home.resolve(".config/helios4j/config.properties");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "openai.timeout.first-byt=5s\nopenai.timeout.idle=5s\nllamacpp.threads=1\n");
        Settings s = Settings.of(Map.of("helios4j.openai.base-ur", "http://x", "helios4j.model", "demo"),
                Map.of("HELIOS4J_OPENAI_RETRYS", "3", "HELIOS4J_OPENAI_TIMEOUT_TOTAL", "1m"), home)
                .with("openai.api-kee", "k");
        try (LogRecorder log = new LogRecorder(Settings.class)) {
            s.warnUnknownKeys("openai.", OPENAI_KEYS);
            List<String> warnings = log.warnings();
            assertEquals(4, warnings.size(), warnings.toString());
            assertWarned(warnings, "openai.timeout.first-byt (in " + file + ")", "Did you mean openai.timeout.first-byte?");
            assertWarned(warnings, "helios4j.openai.base-ur (a system property)", "Did you mean helios4j.openai.base-url?");
            assertWarned(warnings, "HELIOS4J_OPENAI_RETRYS (an environment variable)", "Did you mean HELIOS4J_OPENAI_RETRIES?");
            assertWarned(warnings, "openai.api-kee (set in code)", "Did you mean openai.api-key?");

            s.warnUnknownKeys("openai.", OPENAI_KEYS); // a second open of the same model
            assertEquals(4, log.warnings().size(), "each key is warned about once per JVM");
        }
    }

    @Test
    void knownKeysAndKeysUnderOtherPrefixesPassQuietly() {
        Settings s = Settings.of(Map.of("helios4j.openai.timeout.idle", "5s", "helios4j.llamacpp.nope", "1"),
                Map.of("HELIOS4J_OPENAI_TIMEOUT_FIRST_BYTE", "5s", "OPENAI_API_KEY", "k"), home)
                .with("openai.retries", "1");
        try (LogRecorder log = new LogRecorder(Settings.class)) {
            s.warnUnknownKeys("openai.", OPENAI_KEYS);
            assertEquals(List.of(), log.warnings());
        }
    }

    @Test
    void nearestIsTheFewestEdits() {
        assertEquals(2, EditDistance.between("openai.retrys", "openai.retries"));
        assertEquals("llamacpp.threads", EditDistance.nearest("llamacpp.thread",
                List.of("llamacpp.threads-batch", "llamacpp.threads", "llamacpp.parallel")));
    }

    private static void assertWarned(List<String> warnings, String unknown, String suggestion) {
        String w = warnings.stream().filter(m -> m.contains("Unknown setting " + unknown)).findFirst()
                .orElseThrow(() -> new AssertionError("no warning about " + unknown + " in " + warnings));
        assertTrue(w.contains(suggestion), w);
    }
}
