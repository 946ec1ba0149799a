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
import dev.helios4j.Secret;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

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
        assertEquals(List.of("hf download --revision v2 -- org/repo m.gguf",
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
        assertEquals("hf download -- org/repo m.gguf", cli.calls().get(0));
    }

    @Test
    void fallsBackToHuggingfaceCliWhenHfIsAbsent() throws Exception {
        cli.install("huggingface-cli");
        Path file = models("ok", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf");
        assertEquals("gguf bytes of org/repo at main", Files.readString(file));
        assertEquals("huggingface-cli download -- org/repo m.gguf", cli.calls().get(0));
    }

    @Test
    void prefersHfWhenBothAreInstalled() throws Exception {
        cli.install("huggingface-cli").install("hf");
        models("ok", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf");
        assertEquals("hf download -- org/repo m.gguf", cli.calls().get(0));
    }

    @Test
    void failingCliPutsItsStderrIntoTheErrorButNeverTheToken() throws Exception {
        cli.install("hf");
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> models("fail", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf", listener));
        assertTrue(e.getMessage().contains("EntryNotFoundError: 404 Client Error"), e.getMessage());
        assertTrue(e.getMessage().contains("'hf download org/repo m.gguf' failed (exit 1)"), e.getMessage());
        assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        assertTrue(e.getMessage().contains("sent with token " + Secret.MASK + ")"), e.getMessage());
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
        awaitTrue(() -> cli.calls().size() >= 2, "the stand-in CLI never started");
        call.cancel(true);
        background.shutdown();
        assertTrue(background.awaitTermination(10, TimeUnit.SECONDS), "the cancelled call never returned");
        assertProcessGone(pidOf(cli.calls()));
    }

    @Test
    void aCancelInTheGapBeforeTheCliIsRegisteredStillStopsIt() throws Exception {
        // Commons Exec hands the process over only after starting it: hold that hand-over until the
        // cancel has been recorded with no process known, which is the gap the old code lost.
        cli.install("hf");
        HfModels models = models("hang", Duration.ofSeconds(30));
        CountDownLatch registering = new CountDownLatch(1);
        CountDownLatch cancelPending = new CountDownLatch(1);
        AtomicLong pid = new AtomicLong(-1);
        CliDownloader downloader = CliDownloader.find(models.environment()).orElseThrow().withProbe(event -> {
            if (event.startsWith("registering ")) {
                pid.set(Long.parseLong(event.substring("registering ".length())));
                registering.countDown();
                awaitLatch(cancelPending, "the cancel was never recorded before the process was known");
            } else if (event.equals("cancel-pending")) {
                cancelPending.countDown();
            }
        });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            try {
                downloader.download(HfModelRef.parse("hf:org/repo/m.gguf"), cache, models.environment(),
                        Optional.of(TOKEN), Duration.ofSeconds(30), listener);
            } catch (RuntimeException e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        Files.createDirectories(cache);
        caller.start();
        awaitLatch(registering, "the stand-in CLI never started");
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(20));
        assertFalse(caller.isAlive(), "the cancelled call never returned");
        assertTrue(thrown.get() instanceof LlmException, String.valueOf(thrown.get()));
        assertTrue(thrown.get().getMessage().contains("was stopped"), thrown.get().getMessage());
        assertTrue(flagKept.get(), "the interrupt flag is kept");
        assertProcessGone(pid.get());
    }

    @Test
    void aCallerInterruptedBeforeTheCliStartsStillStopsIt() throws Exception {
        // The interrupt is there before Commons Exec has even launched the process.
        cli.install("hf");
        HfModels models = models("hang", Duration.ofSeconds(30));
        AtomicLong pid = new AtomicLong(-1);
        CliDownloader downloader = CliDownloader.find(models.environment()).orElseThrow().withProbe(event -> {
            if (event.startsWith("registering ")) {
                pid.set(Long.parseLong(event.substring("registering ".length())));
            }
        });
        Files.createDirectories(cache);
        Future<Throwable> call = background.submit(() -> {
            Thread.currentThread().interrupt();
            try {
                downloader.download(HfModelRef.parse("hf:org/repo/m.gguf"), cache, models.environment(),
                        Optional.of(TOKEN), Duration.ofSeconds(30), listener);
                return null;
            } catch (LlmException e) {
                return Thread.currentThread().isInterrupted() ? e : new AssertionError("flag lost", e);
            }
        });
        Throwable e = call.get(20, TimeUnit.SECONDS);
        assertTrue(e instanceof LlmException && e.getMessage().contains("was stopped"), String.valueOf(e));
        assertTrue(pid.get() > 0, "the process was started and handed over");
        assertProcessGone(pid.get());
    }

    @Test
    void interruptingStopsTheCliAndItsChildren() throws Exception {
        cli.install("hf");
        HfModels models = models("hangtree", Duration.ofSeconds(30));
        Future<Throwable> call = background.submit(() -> {
            try {
                models.resolve("hf:org/repo/m.gguf");
                return null;
            } catch (LlmException e) {
                return e;
            }
        });
        awaitTrue(() -> cli.calls().stream().anyMatch(l -> l.startsWith("child=")), "the stand-in CLI never forked");
        long child = cli.calls().stream().filter(l -> l.startsWith("child=")).map(l -> Long.parseLong(l.substring(6)))
                .findFirst().orElseThrow();
        call.cancel(true);
        background.shutdown();
        assertTrue(background.awaitTermination(20, TimeUnit.SECONDS), "the cancelled call never returned");
        assertProcessGone(pidOf(cli.calls()));
        assertProcessGone(child);
    }

    @Test
    void aNumberThatContainsAStatusIsNotAnAuthenticationError() throws Exception {
        cli.install("hf");
        LlmException e = assertThrows(LlmException.class,
                () -> models("numbers", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf"));
        assertFalse(e instanceof AuthenticationException, e.getClass() + ": " + e.getMessage());
        assertFalse(e instanceof ModelNotFoundException, e.getClass() + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("4031 of 14035"), e.getMessage());
    }

    @Test
    void aPrintedPathOutsideTheCacheIsRefused() throws Exception {
        cli.install("hf");
        LlmException e = assertThrows(LlmException.class,
                () -> models("outside", Duration.ofSeconds(20)).resolve("hf:org/repo/m.gguf"));
        assertTrue(e.getMessage().contains("outside the Hugging Face cache"), e.getMessage());
    }

    @Test
    void aCliThatFloodsStdoutStillFinishesInASmallHeap() throws Exception {
        // In a JVM of 48 MB, 100 MB of chatter on stdout: keeping it all ends the output pump with
        // OutOfMemoryError, after which the CLI blocks on a full pipe and the call waits for its timeout.
        cli.install("hf");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx48m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CliRun.class.getName(), "hf:org/repo/m.gguf",
                tmp.toString(), "PATH=" + cli.path(), "HF_HUB_CACHE=" + cache, "STUB_MODE=flood",
                "STUB_LOG=" + cli.log()));
        Process run = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            Future<String> output = background.submit(() -> new String(run.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8));
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the flooded download did not finish within 60 s");
            String text = output.get(10, TimeUnit.SECONDS);
            assertEquals(0, run.exitValue(), text);
            assertTrue(text.contains("path=" + cache.resolve("models--org--repo/snapshots")), text);
        } finally {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
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
        awaitTrue(() -> gone(pid), "the stand-in CLI (pid " + pid + ") is still running");
    }

    // A grandchild that was killed may stay a zombie until whatever adopted it reaps it: it runs no more.
    private static boolean gone(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    /** Polls an observed condition until it holds, failing with {@code message} after 10 s. */
    interface Condition {
        boolean holds() throws Exception;
    }

    static void awaitTrue(Condition condition, String message) {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            while (!condition.holds()) {
                Thread.sleep(20);
            }
        }, message);
    }

    static void awaitLatch(CountDownLatch latch, String message) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), message);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(message, e);
        }
    }
}
