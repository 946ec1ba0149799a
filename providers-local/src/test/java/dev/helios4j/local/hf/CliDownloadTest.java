package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.AuthenticationException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ModelNotFoundException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The download path through Commons Exec, against the stand-in CLI script (see {@link FakeCli}). */
class CliDownloadTest {
    private static final String TOKEN = "hf_testTokenThatMustNotLeak";

    @TempDir
    Path tmp;
    FakeCli cli;
    Path cache;
    final List<DownloadProgress> progress = new CopyOnWriteArrayList<>();
    final List<String> messages = new CopyOnWriteArrayList<>();
    final DownloadListener listener = new DownloadListener() {
        @Override
        public void onProgress(DownloadProgress p) {
            progress.add(p);
        }

        @Override
        public void onMessage(String line) {
            messages.add(line);
        }
    };
    ExecutorService background;

    @BeforeEach
    void setUp() throws Exception {
        cli = new FakeCli(tmp);
        cache = tmp.resolve("hub");
        background = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stopBackground() throws Exception {
        background.shutdownNow();
        assertTrue(background.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void downloadsIntoTheSharedCacheWithTokenRevisionAndProgress() throws Exception {
        cli.install("hf");
        Path file = models("ok", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf@v2", listener);

        assertEquals("gguf bytes of org/repo at v2", Files.readString(file));
        assertEquals(List.of("hf download org/repo m.gguf --revision v2",
                "token=" + TOKEN + " cache=" + cache + " pid=" + pidOf(cli.calls())), cli.calls());
        // The file landed in the shared cache: a second call finds it without running anything.
        assertEquals(file, models("fail", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf@v2"));
        assertEquals(2, cli.calls().size());
        assertTrue(progress.stream().anyMatch(p -> p.bytesDone() == 450_000_000L && p.totalBytes() == 1_000_000_000L),
                progress::toString);
        assertTrue(progress.get(progress.size() - 1).done(), progress::toString);
    }

    @Test
    void findsThePathInTheNewerSummaryOutput() throws Exception {
        cli.install("hf");
        Path file = models("modern", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf");
        assertEquals("gguf bytes of org/repo at main", Files.readString(file));
        assertEquals("hf download org/repo m.gguf", cli.calls().get(0));
    }

    @Test
    void fallsBackToHuggingfaceCliWhenHfIsAbsent() throws Exception {
        cli.install("huggingface-cli");
        Path file = models("ok", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf");
        assertEquals("gguf bytes of org/repo at main", Files.readString(file));
        assertEquals("huggingface-cli download org/repo m.gguf", cli.calls().get(0));
    }

    @Test
    void prefersHfWhenBothAreInstalled() throws Exception {
        cli.install("huggingface-cli").install("hf");
        models("ok", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf");
        assertEquals("hf download org/repo m.gguf", cli.calls().get(0));
    }

    @Test
    void failingCliPutsItsStderrIntoTheErrorButNeverTheToken() throws Exception {
        cli.install("hf");
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> models("fail", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf", listener));
        assertTrue(e.getMessage().contains("EntryNotFoundError: 404 Client Error"), e.getMessage());
        assertTrue(e.getMessage().contains("'hf download org/repo m.gguf' failed (exit 1)"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        assertTrue(e.getMessage().contains("sent with token ***"), e.getMessage());
        assertTrue(messages.stream().noneMatch(m -> m.contains(TOKEN)), messages::toString);
    }

    @Test
    void refusedAccessIsAnAuthenticationError() throws Exception {
        cli.install("hf");
        AuthenticationException e = assertThrows(AuthenticationException.class,
                () -> models("denied", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf"));
        assertEquals(401, e.statusCode());
        assertTrue(e.getMessage().contains("HF_TOKEN"), e.getMessage());
    }

    @Test
    void otherFailuresKeepTheCliWords() throws Exception {
        cli.install("hf");
        LlmException e = assertThrows(LlmException.class,
                () -> models("broken", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf"));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
    }

    @Test
    void hangingCliTimesOutAndIsStopped() throws Exception {
        cli.install("hf");
        long start = System.nanoTime();
        LlmTimeoutException e = assertThrows(LlmTimeoutException.class,
                () -> models("hang", Duration.ofSeconds(1)).resolve("hf:org/repo/m.gguf"));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "gave up in time");
        assertTrue(e.getMessage().contains("did not finish within 1 s"), e.getMessage());
        assertProcessGone(pidOf(cli.calls()));
    }

    @Test
    void interruptingTheCallerStopsTheCli() throws Exception {
        cli.install("hf");
        HfModels models = models("hang", Duration.ofSeconds(30));
        Future<Throwable> call = background.submit(() -> {
            try {
                models.resolve("hf:org/repo/m.gguf");
                return null;
            } catch (LlmException e) {
                return e;
            }
        });
        while (cli.calls().size() < 2) {
            Thread.sleep(20);
        }
        call.cancel(true);
        background.shutdown();
        assertTrue(background.awaitTermination(10, TimeUnit.SECONDS));
        assertProcessGone(pidOf(cli.calls()));
    }

    @Test
    void aPrintedPathWithNoFileIsAnError() throws Exception {
        cli.install("hf");
        LlmException e = assertThrows(LlmException.class,
                () -> models("wrongpath", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf"));
        assertTrue(e.getMessage().contains("but there is no file there"), e.getMessage());
        assertTrue(e.getMessage().contains("models--nowhere"), e.getMessage());
    }

    @Test
    void aPrintedPathOfAnotherFileIsAnError() throws Exception {
        cli.install("hf");
        LlmException e = assertThrows(LlmException.class,
                () -> models("otherfile", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf"));
        assertTrue(e.getMessage().contains("which is not m.gguf"), e.getMessage());
    }

    @Test
    void cliOnlyWithoutAnyCliSaysHowToInstallIt() {
        LlmException e = assertThrows(LlmException.class, () -> HfModels.builder()
                .environment(HfEnvironment.of(Map.of("PATH", cli.path(), "HF_HUB_CACHE", cache.toString()), tmp))
                .method(DownloadMethod.CLI).build().resolve("hf:org/repo/m.gguf"));
        assertTrue(e.getMessage().contains("pip install -U huggingface_hub"), e.getMessage());
    }

    private HfModels models(String mode, Duration timeout) {
        Map<String, String> vars = new HashMap<>();
        vars.put("PATH", cli.path());
        vars.put("HF_HUB_CACHE", cache.toString());
        vars.put("HF_TOKEN", TOKEN);
        vars.put("STUB_MODE", mode);
        vars.put("STUB_LOG", cli.log().toString());
        return HfModels.builder().environment(HfEnvironment.of(vars, tmp)).timeout(timeout).build();
    }

    private static long pidOf(List<String> calls) {
        String line = calls.stream().filter(l -> l.startsWith("token=")).reduce((a, b) -> b).orElseThrow();
        return Long.parseLong(line.substring(line.indexOf("pid=") + 4).trim());
    }

    private static void assertProcessGone(long pid) {
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                Thread.sleep(20);
            }
        }, "the stand-in CLI (pid " + pid + ") is still running");
    }
}
