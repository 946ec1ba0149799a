package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.helios4j.InvalidRequestException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad input from the issue fails with a clear error before anything runs: with the
 * stand-in CLI on the PATH, it is never started; with the built-in downloader, the loopback Hub
 * never sees a request.
 */
class BadInputTest {
    @TempDir
    Path tmp;
    FakeCli cli;
    FakeHub hub;

    @BeforeEach
    void start() throws Exception {
        cli = new FakeCli(tmp).install("hf");
        hub = new FakeHub();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a repository with ..            | hf:../../etc/x.gguf                                  | '..'",
            "a repository with .. inside     | hf:org/..%2F/x.gguf                                  | '..'",
            "an absolute repository path     | hf:/etc/passwd/x.gguf                                | absolute path",
            "a URL instead of a name         | hf:https://hub.example/org/repo/x.gguf            | URL",
            "an empty file name              | hf:org/repo/                                         | file name is empty",
            "a revision climbing out         | hf:org/repo/x.gguf@../../../../tmp/evil              | not a valid branch",
            "a revision from the root        | hf:org/repo/x.gguf@/etc/passwd                       | not a valid branch",
            "a revision with a double slash  | hf:org/repo/x.gguf@refs//heads                       | not a valid branch",
            "a revision like an option       | hf:org/repo/x.gguf@--help                            | not a valid branch",
            "a file name like an option      | hf:org/repo/--local-dir=/elsewhere/x.gguf            | starts with '-'",
            "a token option as a file name   | hf:org/repo/--token=hf_stolen.gguf                   | starts with '-'",
            "a short option as a file name   | hf:org/repo/-x.gguf                                  | starts with '-'",
            "an option in a subfolder        | hf:org/repo/sub/--cache-dir=x/m.gguf                 | starts with '-'",
            "a repository like an option     | hf:-org/repo/x.gguf                                  | not valid",
    })
    void aBadSpecFailsBeforeAnythingRuns(String what, String spec, String expected) throws Exception {
        for (HfModels models : List.of(withCli(), builtin())) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> models.resolve(spec));
            assertTrue(e.getMessage().contains(expected), () -> what + ": " + e.getMessage());
        }
        assertNothingRan();
    }

    @Test
    void badPartsFailBeforeAnythingRuns() throws Exception {
        for (HfModels models : List.of(withCli(), builtin())) {
            assertThrows(InvalidRequestException.class, () -> models.resolve("../x", "m.gguf", null));
            assertThrows(InvalidRequestException.class, () -> models.resolve("/abs/x", "m.gguf", null));
            assertThrows(InvalidRequestException.class, () -> models.resolve("https://hub.example/org/x", "m.gguf", null));
            assertThrows(InvalidRequestException.class, () -> models.resolve("org/x", "", null));
            assertThrows(InvalidRequestException.class, () -> models.resolve("org/x", "/etc/passwd", null));
            assertThrows(InvalidRequestException.class, () -> models.resolve("org/x", "../../m.gguf", null));
            assertThrows(InvalidRequestException.class, () -> models.resolve("org/x", "m.gguf", "main/../../x"));
            assertThrows(InvalidRequestException.class, () -> models.resolve("org/x", "m\n.gguf", null));
            assertThrows(InvalidRequestException.class, () -> models.locate("org/x", "m.gguf", "../refs"));
        }
        assertNothingRan();
    }

    @Test
    void aCacheFolderThatCannotBeCreatedFailsBeforeAnythingRuns() throws Exception {
        // A regular file where a parent folder should be: no one, not even root, can create the cache.
        Path blocker = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Path cache = blocker.resolve("hub");
        for (HfModels models : List.of(withCli(vars -> vars.put("HF_HUB_CACHE", cache.toString())),
                builtin(vars -> vars.put("HF_HUB_CACHE", cache.toString())))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> models.resolve("hf:org/repo/m.gguf"));
            assertTrue(e.getMessage().contains("cannot be written"), e.getMessage());
            assertTrue(e.getMessage().contains("HF_HUB_CACHE"), e.getMessage());
        }
        assertNothingRan();
    }

    @Test
    void aReadOnlyCacheFolderFailsBeforeAnythingRuns() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")),
                "root may write into a read-only folder; the blocked-path test covers this case for root");
        Path cache = Files.createDirectories(tmp.resolve("ro-hub"));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> builtin(vars -> vars.put("HF_HUB_CACHE", cache.toString())).resolve("hf:org/repo/m.gguf"));
            assertTrue(e.getMessage().contains("cannot be written"), e.getMessage());
        } finally {
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertNothingRan();
    }

    private void assertNothingRan() throws Exception {
        assertEquals(List.of(), cli.calls(), "the CLI must not have started");
        assertEquals(List.of(), hub.requests, "no request may reach the Hub");
    }

    private HfModels withCli() {
        return withCli(vars -> { });
    }

    private HfModels withCli(Consumer<Map<String, String>> change) {
        return models(DownloadMethod.CLI, change);
    }

    private HfModels builtin() {
        return builtin(vars -> { });
    }

    private HfModels builtin(Consumer<Map<String, String>> change) {
        return models(DownloadMethod.BUILTIN, change);
    }

    private HfModels models(DownloadMethod method, Consumer<Map<String, String>> change) {
        Map<String, String> vars = new HashMap<>(Map.of(
                "PATH", cli.path(), "STUB_LOG", cli.log().toString(), "STUB_MODE", "ok",
                "HF_HUB_CACHE", tmp.resolve("hub").toString(), "HF_ENDPOINT", hub.endpoint()));
        change.accept(vars);
        return HfModels.builder().environment(HfEnvironment.of(vars, tmp)).method(method).build();
    }
}
