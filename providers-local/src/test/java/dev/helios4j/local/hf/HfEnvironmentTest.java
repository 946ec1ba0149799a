package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.InvalidRequestException;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HfEnvironmentTest {
    @TempDir
    Path home;

    @Test
    void cacheDirPrecedenceIsHubCacheThenHfHomeThenXdgThenHome() {
        Map<String, String> vars = new HashMap<>(Map.of(
                "HF_HUB_CACHE", "/a/hub-cache", "HF_HOME", "/b/hf-home", "XDG_CACHE_HOME", "/c/xdg"));
        assertEquals(Path.of("/a/hub-cache"), env(vars).cacheDir());
        vars.remove("HF_HUB_CACHE");
        assertEquals(Path.of("/b/hf-home/hub"), env(vars).cacheDir());
        vars.remove("HF_HOME");
        assertEquals(Path.of("/c/xdg/huggingface/hub"), env(vars).cacheDir());
        vars.remove("XDG_CACHE_HOME");
        assertEquals(home.resolve(".cache/huggingface/hub"), env(vars).cacheDir());
    }

    @Test
    void emptyValuesCountAsUnsetAndTildeMeansHome() {
        assertEquals(home.resolve("hfh/hub"), env(Map.of("HF_HUB_CACHE", "", "HF_HOME", "~/hfh")).cacheDir());
        assertEquals(Path.of("/legacy"), env(Map.of("HUGGINGFACE_HUB_CACHE", "/legacy")).cacheDir());
    }

    @ParameterizedTest
    @CsvSource({"1, true", "true, true", "YES, true", "on, true", "0, false", "false, false", "'', false"})
    void offlineAcceptsTheUsualTrueValues(String value, boolean offline) {
        assertEquals(offline, env(Map.of("HF_HUB_OFFLINE", value)).offline());
    }

    @Test
    void endpointDefaultsToTheHubAndDropsTrailingSlashes() {
        assertEquals(URI.create(HfEnvironment.DEFAULT_ENDPOINT), env(Map.of()).endpoint());
        assertEquals(URI.create("http://mirror.local:8080/hf"),
                env(Map.of("HF_ENDPOINT", "http://mirror.local:8080/hf/")).endpoint());
        assertThrows(InvalidRequestException.class, () -> env(Map.of("HF_ENDPOINT", "ftp://x")).endpoint());
        assertThrows(InvalidRequestException.class, () -> env(Map.of("HF_ENDPOINT", "not a url")).endpoint());
    }

    @Test
    void tokenComesFromHfTokenThenTheTokenFileAndNeverShows() throws Exception {
        String secret = "hf_secretTokenValue123";
        HfEnvironment withVar = env(Map.of("HF_TOKEN", secret));
        assertEquals(Optional.of(secret), withVar.token());
        assertFalse(withVar.toString().contains(secret), withVar.toString());
        assertTrue(withVar.toString().contains("token=set"));

        Path hfHome = home.resolve("hf");
        Files.createDirectories(hfHome);
        Files.writeString(hfHome.resolve("token"), secret + "\n");
        assertEquals(Optional.of(secret), env(Map.of("HF_HOME", hfHome.toString())).token());
        assertEquals(Optional.empty(), env(Map.of()).token());
    }

    private HfEnvironment env(Map<String, String> vars) {
        return HfEnvironment.of(vars, home);
    }
}
