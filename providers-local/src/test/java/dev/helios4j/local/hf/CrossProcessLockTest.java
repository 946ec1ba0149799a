package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs never download the same blob twice. A second, real JVM takes the blob's lock in
 * {@code .locks/} (with the same {@code FileChannel.lock} our downloader uses, as another
 * helios4j would), and "finishes" the blob while our download waits; ours must then link that
 * blob and send no GET for the bytes.
 */
class CrossProcessLockTest {
    private static final String HOLDER = """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            public class LockHolder {
                public static void main(String[] args) throws Exception {
                    Path lock = Path.of(args[0]);
                    Files.createDirectories(lock.getParent());
                    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                         var held = ch.lock()) {
                        System.out.println("locked");
                        System.out.flush();
                        System.in.read(); // hold the lock until the test closes our stdin
                    }
                }
            }
            """;

    private static final String PROBE = """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            public class LockProbe {
                public static void main(String[] args) throws Exception {
                    try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                         var got = ch.tryLock()) {
                        System.out.println(got == null ? "busy" : "free");
                    }
                }
            }
            """;

    @TempDir
    Path tmp;
    Process holder;
    FakeHub hub;
    final ExecutorService background = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopEverything() throws Exception {
        background.shutdownNow();
        if (holder != null) {
            holder.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aBlobLockedByAnotherJvmIsWaitedForAndNotDownloadedAgain() throws Exception {
        byte[] model = "bytes another JVM is fetching".getBytes(StandardCharsets.UTF_8);
        String sha = FakeHub.sha256(model);
        hub = new FakeHub().lfs("org/repo", "main", BuiltinDownloadTest.COMMIT, "m.gguf", model);
        CacheTree cache = new CacheTree(tmp.resolve("hub"));
        Path lockFile = cache.root().resolve(".locks/models--org--repo/" + sha + ".lock");

        Path source = tmp.resolve("LockHolder.java");
        Files.writeString(source, HOLDER);
        holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", source.toString(), lockFile.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine(), "the other JVM took the lock");

        HfModels models = HfModels.builder().environment(HfEnvironment.of(Map.of(
                "HF_HUB_CACHE", cache.root().toString(), "HF_ENDPOINT", hub.endpoint(),
                "PATH", tmp.resolve("no-bin").toString()), tmp)).timeout(Duration.ofSeconds(30)).build();
        CountDownLatch waiting = new CountDownLatch(1);
        DownloadListener listener = new DownloadListener() {
            @Override
            public void onProgress(DownloadProgress progress) {
            }

            @Override
            public void onMessage(String line) {
                if (line.startsWith("Waiting for another download")) {
                    waiting.countDown();
                }
            }
        };
        Future<Path> download = background.submit(() -> models.resolve("hf:org/repo/m.gguf", listener));

        assertTrue(waiting.await(20, TimeUnit.SECONDS), "the download never said it waits for the other JVM");
        assertFalse(download.isDone(), "waits while the other JVM holds the lock");
        assertEquals(1, hub.count("HEAD", "/resolve/"));
        assertEquals(0, hub.count("GET", "/cdn/"));

        // The other JVM completes the blob, then lets go.
        Path blob = cache.repoDir("org/repo").resolve("blobs").resolve(sha);
        Files.createDirectories(blob.getParent());
        Files.write(blob, model);
        holder.getOutputStream().close();
        assertTrue(holder.waitFor(10, TimeUnit.SECONDS));

        Path file = download.get(10, TimeUnit.SECONDS);
        assertArrayEquals(model, Files.readAllBytes(file));
        assertEquals(blob, file.toRealPath());
        assertEquals(0, hub.count("GET", "/cdn/"), "the blob was not downloaded a second time");
    }

    @Test
    void aThreadThatGivesUpWaitingDoesNotDropTheLockAnotherThreadHolds() throws Exception {
        // POSIX locks belong to the process: closing any channel of the file would drop the one the
        // first thread holds, and another JVM could then write into the same .incomplete file.
        Path lockFile = tmp.resolve("hub/.locks/models--org--repo/" + "a".repeat(64) + ".lock");
        long far = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try (BlobLock held = BlobLock.acquire(lockFile, far, () -> { })) {
            CountDownLatch waited = new CountDownLatch(1);
            Future<Throwable> second = background.submit(() -> {
                try (BlobLock unexpected = BlobLock.acquire(lockFile, System.nanoTime()
                        + TimeUnit.MILLISECONDS.toNanos(200), waited::countDown)) {
                    return null;
                } catch (dev.helios4j.LlmTimeoutException e) {
                    return e;
                }
            });
            assertTrue(second.get(20, TimeUnit.SECONDS) instanceof dev.helios4j.LlmTimeoutException,
                    "the second thread gives up while the first holds the lock");
            assertEquals(0, waited.getCount(), "the second thread was told it waits");
            assertEquals(1, BlobLock.users(lockFile), "the holder still uses the shared channel");

            assertEquals("busy", probeFromAnotherJvm(lockFile), "the other JVM must still find the blob locked");
        }
        assertEquals(0, BlobLock.users(lockFile));
        assertEquals("free", probeFromAnotherJvm(lockFile), "released once the holder is done");
    }

    private String probeFromAnotherJvm(Path lockFile) throws Exception {
        Path source = tmp.resolve("LockProbe.java");
        Files.writeString(source, PROBE);
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-XX:TieredStopAtLevel=1", source.toString(), lockFile.toString())
                .redirectErrorStream(true).start();
        try {
            Future<String> out = background.submit(() -> new String(probe.getInputStream().readAllBytes(),
                    StandardCharsets.UTF_8).strip());
            assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the probing JVM did not finish within 60 s");
            return out.get(10, TimeUnit.SECONDS);
        } finally {
            probe.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
