package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.InvalidModelException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ModelNotFoundException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in downloader against a loopback server that answers like the Hub (see {@link FakeHub}). */
class BuiltinDownloadTest {
    static final String REPO = "org/tiny-GGUF";
    static final String COMMIT = "6666666666666666666666666666666666666666";
    static final String TOKEN = "hf_builtinTokenNotForTheCdn";

    @TempDir
    Path tmp;
    FakeHub hub;
    CacheTree cache;
    byte[] model;
    String sha;
    final List<DownloadProgress> progress = new CopyOnWriteArrayList<>();
    ExecutorService background;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        cache = new CacheTree(tmp.resolve("hub"));
        model = new byte[300_000];
        new Random(42).nextBytes(model);
        sha = FakeHub.sha256(model);
        hub.lfs(REPO, "main", COMMIT, "tiny.Q4.gguf", model);
        background = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() throws Exception {
        background.shutdownNow();
        assertTrue(background.awaitTermination(5, TimeUnit.SECONDS));
        hub.close();
    }

    @Test
    void writesTheCacheLayoutEveryToolReads() throws Exception {
        Path file = models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf", progress::add);

        Path repoDir = cache.repoDir(REPO);
        assertEquals(repoDir.resolve("snapshots").resolve(COMMIT).resolve("tiny.Q4.gguf"), file);
        assertTrue(Files.isSymbolicLink(file));
        assertEquals(Path.of("../../blobs/" + sha), Files.readSymbolicLink(file));
        assertArrayEquals(model, Files.readAllBytes(repoDir.resolve("blobs").resolve(sha)));
        assertEquals(COMMIT, Files.readString(repoDir.resolve("refs/main")));
        assertTrue(Files.exists(cache.root().resolve(".locks/models--org--tiny-GGUF/" + sha + ".lock")));
        assertFalse(Files.exists(repoDir.resolve("blobs").resolve(sha + ".incomplete")));
        assertTrue(progress.get(progress.size() - 1).done());
        assertEquals(model.length, progress.get(progress.size() - 1).totalBytes());
    }

    @Test
    void sendsTheTokenToTheHubButNotToTheCdnItRedirectsTo() throws Exception {
        models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf");
        FakeHub.Request head = hub.requests.get(0);
        assertEquals("HEAD", head.method());
        assertEquals("Bearer " + TOKEN, head.authorization());
        FakeHub.Request cdn = hub.requests.stream().filter(r -> r.path().startsWith("/cdn/")).findFirst().orElseThrow();
        assertTrue(cdn.host().startsWith("localhost:"), cdn.host());
        assertNull(cdn.authorization(), "the token must stay with the Hub");
    }

    @Test
    void plainGitFilesAreCheckedByTheirGitBlobId() throws Exception {
        byte[] readme = "a small non-LFS file".getBytes();
        hub.git(REPO, "main", COMMIT, "sub/dir/small.gguf", readme);
        Path file = models().resolve("hf:org/tiny-GGUF/sub/dir/small.gguf");
        assertArrayEquals(readme, Files.readAllBytes(file));
        assertEquals(Path.of("../../../../blobs/" + FakeHub.gitSha1(readme)), Files.readSymbolicLink(file));
    }

    @Test
    void aDroppedConnectionIsResumedWithARange() throws Exception {
        hub.dropAfterBytes = 100_000;
        hub.dropsLeft.set(2);
        Path file = models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf");

        assertArrayEquals(model, Files.readAllBytes(file));
        List<String> ranges = hub.requests.stream().filter(r -> r.path().startsWith("/cdn/"))
                .map(r -> String.valueOf(r.range())).toList();
        assertEquals(List.of("null", "bytes=100000-", "bytes=200000-"), ranges);
    }

    @Test
    void anIncompleteFileFromAnEarlierRunIsResumed() throws Exception {
        Path incomplete = cache.repoDir(REPO).resolve("blobs").resolve(sha + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.write(incomplete, java.util.Arrays.copyOf(model, 123_456));

        Path file = models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf");
        assertArrayEquals(model, Files.readAllBytes(file));
        assertEquals(List.of("bytes=123456-"), hub.requests.stream().filter(r -> r.path().startsWith("/cdn/"))
                .map(FakeHub.Request::range).toList());
    }

    @Test
    void aChecksumMismatchIsAnErrorAndLeavesNothingBehind() throws Exception {
        hub.corrupt = true;
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf"));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
        assertTrue(e.getMessage().contains(sha), e.getMessage());
        Path blobs = cache.repoDir(REPO).resolve("blobs");
        assertFalse(Files.exists(blobs.resolve(sha)));
        assertFalse(Files.exists(blobs.resolve(sha + ".incomplete")));
        assertFalse(Files.exists(cache.repoDir(REPO).resolve("snapshots").resolve(COMMIT).resolve("tiny.Q4.gguf")));
    }

    @Test
    void aMissingFileIsModelNotFound() {
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> models().resolve("hf:org/tiny-GGUF/absent.gguf"));
        assertTrue(e.getMessage().contains("absent.gguf does not exist in org/tiny-GGUF"), e.getMessage());
        assertTrue(e.getMessage().contains("Entry not found"), e.getMessage());
    }

    @Test
    void aServerThatGoesSilentMidFileTimesOutAndTheNextCallResumes() throws Exception {
        hub.stallAfterBytes = 70_000;
        hub.stallMillis = 5_000;
        HfModels impatient = builder().idleTimeout(Duration.ofMillis(500)).build();
        LlmTimeoutException e = assertThrows(LlmTimeoutException.class,
                () -> impatient.resolve("hf:org/tiny-GGUF/tiny.Q4.gguf"));
        assertTrue(e.getMessage().contains("No data arrived for 500 ms"),
                e.getMessage());
        Path incomplete = cache.repoDir(REPO).resolve("blobs").resolve(sha + ".incomplete");
        assertEquals(70_000, Files.size(incomplete), "the bytes that did arrive are kept");

        hub.stallAfterBytes = -1;
        assertArrayEquals(model, Files.readAllBytes(models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf")));
        assertEquals("bytes=70000-", hub.requests.get(hub.requests.size() - 1).range());
    }

    @Test
    void aServerThatNeverAnswersTimesOut() {
        hub.cdnDelayMillis = 5_000;
        HfModels impatient = builder().idleTimeout(Duration.ofMillis(500)).build();
        assertThrows(LlmTimeoutException.class, () -> impatient.resolve("hf:org/tiny-GGUF/tiny.Q4.gguf"));
    }

    @Test
    void anotherRevisionSharingTheBlobIsLinkedWithoutDownloading() throws Exception {
        String other = "7777777777777777777777777777777777777777";
        hub.lfs(REPO, "v1.0", other, "tiny.Q4.gguf", model);
        models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf");
        Path second = models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf@v1.0");

        assertArrayEquals(model, Files.readAllBytes(second));
        assertEquals(1, hub.count("GET", "/cdn/"));
        assertEquals(other, Files.readString(cache.repoDir(REPO).resolve("refs/v1.0")));
    }

    @Test
    void twoConcurrentDownloadsOfOneFileFetchItOnce() throws Exception {
        hub.cdnDelayMillis = 400;
        HfModels models = models();
        Future<Path> a = background.submit(() -> models.resolve("hf:org/tiny-GGUF/tiny.Q4.gguf"));
        Future<Path> b = background.submit(() -> models.resolve("hf:org/tiny-GGUF/tiny.Q4.gguf"));
        assertEquals(a.get(20, TimeUnit.SECONDS), b.get(20, TimeUnit.SECONDS));
        assertArrayEquals(model, Files.readAllBytes(a.get()));
        assertEquals(1, hub.count("GET", "/cdn/"));
    }

    @Test
    void interruptingADownloadWhileBytesFlowStopsItAndKeepsThePartialFile() throws Exception {
        // 300 KB at 1 KB per 50 ms: 15 s to finish, so stopping within 5 s can only be the interrupt.
        hub.trickleBytes = 1_000;
        hub.trickleMillis = 50;
        CountDownLatch flowing = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        HfModels models = models();
        Thread caller = new Thread(() -> {
            try {
                models.resolve("hf:org/tiny-GGUF/tiny.Q4.gguf", p -> {
                    if (p.bytesDone() > 0) {
                        flowing.countDown();
                    }
                });
            } catch (RuntimeException e) {
                thrown.set(e);
                flagKept.set(Thread.currentThread().isInterrupted());
            }
        });
        caller.start();
        try {
            assertTrue(flowing.await(20, TimeUnit.SECONDS), "no bytes arrived");
            long start = System.nanoTime();
            caller.interrupt();
            caller.join(5_000);
            assertFalse(caller.isAlive(), "the download went on after the interrupt");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(thrown.get() instanceof dev.helios4j.LlmException, String.valueOf(thrown.get()));
            assertTrue(thrown.get().getMessage().contains("cancelled"), thrown.get().getMessage());
            assertTrue(flagKept.get(), "the interrupt flag is kept");
            System.out.println("interrupt to return: " + millis + " ms");
        } finally {
            caller.interrupt();
            caller.join(10_000);
        }
        Path incomplete = cache.repoDir(REPO).resolve("blobs").resolve(sha + ".incomplete");
        long kept = Files.size(incomplete);
        assertTrue(kept > 0 && kept < model.length, "the partial file is kept: " + kept);

        hub.trickleBytes = 0;
        assertArrayEquals(model, Files.readAllBytes(models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf")));
        assertEquals("bytes=" + kept + "-", hub.requests.get(hub.requests.size() - 1).range());
    }

    @Test
    void aMalformedLocationIsAnLlmExceptionThatSaysWhatTheServerSent() {
        hub.badLocation = "/cdn/has space|and?X-Signature=s1gnature";
        dev.helios4j.LlmException e = assertThrows(dev.helios4j.LlmException.class,
                () -> models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf"));
        assertTrue(e.getMessage().contains("Location header '/cdn/has space|and?"), e.getMessage());
        assertFalse(e.getMessage().contains("s1gnature"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 302"), e.getMessage());
    }

    @Test
    void aLocationThatIsNotHttpIsRefused() {
        hub.badLocation = "file:///etc/passwd";
        dev.helios4j.LlmException e = assertThrows(dev.helios4j.LlmException.class,
                () -> models().resolve("hf:org/tiny-GGUF/tiny.Q4.gguf"));
        assertTrue(e.getMessage().contains("not an http(s) URL"), e.getMessage());
    }

    @Test
    void credentialsInTheEndpointNeverShow() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String endpoint = "http://mirror:pa55word@127.0.0.1:" + closed + "/hf?key=k3yvalue";
        HfModels models = HfModels.builder().environment(HfEnvironment.of(Map.of("HF_HUB_CACHE",
                cache.root().toString(), "HF_ENDPOINT", endpoint, "PATH", tmp.resolve("empty-bin").toString()), tmp))
                .idleTimeout(Duration.ofSeconds(10)).build();
        for (String shown : List.of(models.toString(), models.environment().toString(),
                assertThrows(dev.helios4j.LlmException.class,
                        () -> models.resolve("hf:org/tiny-GGUF/tiny.Q4.gguf")).getMessage())) {
            assertFalse(shown.contains("pa55word"), shown);
            assertFalse(shown.contains("k3yvalue"), shown);
            assertTrue(shown.contains("127.0.0.1:" + closed), shown);
        }
    }

    HfModels models() {
        return builder().build();
    }

    HfModels.Builder builder() {
        Map<String, String> vars = new HashMap<>();
        vars.put("HF_HUB_CACHE", cache.root().toString());
        vars.put("HF_ENDPOINT", hub.endpoint());
        vars.put("HF_TOKEN", TOKEN);
        vars.put("PATH", tmp.resolve("empty-bin").toString());
        return HfModels.builder().environment(HfEnvironment.of(vars, tmp)).idleTimeout(Duration.ofSeconds(10))
                .timeout(Duration.ofSeconds(30));
    }
}
