package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Settings;

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

    @Test
    void hfSettingsWinOverTheVariablesTheyStandFor() {
        Settings settings = Settings.of(Map.of("helios4j.hf.endpoint", "http://mirror.local:1/hf",
                "helios4j.hf.hub-cache", "/s/cache", "helios4j.hf.offline", "true", "helios4j.hf.token", "hf_fromSettings"),
                Map.of("HF_ENDPOINT", "http://env.local", "HF_HUB_CACHE", "/e/cache", "HF_TOKEN", "hf_fromEnv",
                        "HF_HUB_OFFLINE", "0"), home);
        HfEnvironment env = HfEnvironment.from(settings);
        assertEquals(URI.create("http://mirror.local:1/hf"), env.endpoint());
        assertEquals(Path.of("/s/cache"), env.cacheDir());
        assertTrue(env.offline());
        assertEquals(Optional.of("hf_fromSettings"), env.token());
        assertFalse(env.toString().contains("hf_fromSettings"), env.toString());
    }

    @Test
    void theHuggingFaceVariablesOfTheSettingsAreTheFallback() {
        HfEnvironment env = HfEnvironment.from(Settings.of(Map.of(),
                Map.of("HF_HOME", "/e/home", "HF_HUB_OFFLINE", "1", "HF_ENDPOINT", "http://env.local"), home));
        assertEquals(Path.of("/e/home/hub"), env.cacheDir());
        assertTrue(env.offline());
        assertEquals(URI.create("http://env.local"), env.endpoint());
        // From settings, hf.home is HF_HOME: the cache under it.
        assertEquals(Path.of("/s/home/hub"), HfEnvironment.from(Settings.of(Map.of(), Map.of(), home)
                .with("hf.home", "/s/home")).cacheDir());
    }

    @Test
    void settingsGivenInCodeReachHfModels() throws Exception {
        Path cache = home.resolve("code-cache");
        HfModels models = HfModels.from(Settings.of(Map.of(), Map.of(), home)
                .with("hf.hub-cache", cache.toString()).with("hf.offline", "yes"));
        assertEquals(cache, models.cacheDir());
        // Offline: the missing file is a clear error, and nothing is fetched.
        assertThrows(dev.helios4j.ModelNotFoundException.class, () -> models.resolve("hf:org/repo/m.gguf"));
    }

    @Test
    void helios4jSystemPropertiesReachTheDefaults() {
        Path cache = home.resolve("property-cache");
        String key = "helios4j.hf.hub-cache";
        String before = System.getProperty(key);
        System.setProperty(key, cache.toString());
        try {
            assertEquals(cache, HfModels.defaults().cacheDir());
        } finally {
            if (before == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, before);
            }
        }
    }

    @Test
    void hfCliPicksTheCliOrNone() throws Exception {
        FakeCli cli = new FakeCli(home).install("hf");
        Settings base = Settings.of(Map.of(), Map.of("PATH", cli.path()), home);
        assertTrue(CliDownloader.find(HfEnvironment.from(base)).isPresent());
        assertTrue(CliDownloader.find(HfEnvironment.from(base.with("hf.cli", "none"))).isEmpty());
        Path chosen = home.resolve("bin/hf");
        assertEquals(chosen, CliDownloader.find(HfEnvironment.from(Settings.of(Map.of(), Map.of("PATH", "/nowhere"), home)
                .with("hf.cli", chosen.toString()))).orElseThrow().executable());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> CliDownloader.find(HfEnvironment.from(base.with("hf.cli", "/no/such/hf"))));
        assertTrue(e.getMessage().contains("hf.cli"), e.getMessage());
    }

    @Test
    void aMalformedOfflineSettingNamesTheKey() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> HfEnvironment.from(Settings.of(Map.of(), Map.of(), home).with("hf.offline", "maybe")));
        assertTrue(e.getMessage().contains("hf.offline"), e.getMessage());
    }

    @Test
    void theEndpointNeverShowsItsCredentials() {
        HfEnvironment env = env(Map.of("HF_ENDPOINT", "https://user:pa55word@mirror.local/hf?token=k3y&api-version=2"));
        assertFalse(env.toString().contains("pa55word"), env.toString());
        assertFalse(env.toString().contains("k3y"), env.toString());
        assertTrue(env.toString().contains("mirror.local/hf"), env.toString());
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> env(Map.of("HF_ENDPOINT", "ftp://user:pa55word@mirror.local/")).endpoint());
        assertFalse(e.getMessage().contains("pa55word"), e.getMessage());
    }

    private HfEnvironment env(Map<String, String> vars) {
        return HfEnvironment.of(vars, home);
    }
}
