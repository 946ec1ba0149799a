package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Resident memory and live child processes, read from {@code /proc} (Linux), for the memory test and
 * benchmark of engine processes.
 *
 * @param total VmRSS: resident bytes in all
 * @param anon RssAnon: resident anonymous memory (heaps, llama.cpp's buffers)
 * @param file RssFile: resident pages of mapped files (a model file llama.cpp maps)
 * @param peak VmHWM: the most the process ever had resident
 */
record ProcessMemory(long total, long anon, long file, long peak) {

    /**
     * This JVM's memory after a full collection: garbage in the young generation touches heap pages
     * that a collection may hand back, so readings without one differ by tens of MB at random.
     */
    static ProcessMemory settled() throws IOException {
        System.gc();
        return read("self");
    }

    static ProcessMemory of(long pid) throws IOException {
        return read(Long.toString(pid));
    }

    private static ProcessMemory read(String pid) throws IOException {
        long total = -1;
        long anon = -1;
        long file = -1;
        long peak = -1;
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                total = kib(line);
            } else if (line.startsWith("RssAnon:")) {
                anon = kib(line);
            } else if (line.startsWith("RssFile:")) {
                file = kib(line);
            } else if (line.startsWith("VmHWM:")) {
                peak = kib(line);
            }
        }
        if (total < 0) {
            throw new IOException("no VmRSS in /proc/" + pid + "/status");
        }
        return new ProcessMemory(total, anon, file, peak);
    }

    private static long kib(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
    }

    static long mb(long bytes) {
        return Math.round(bytes / 1048576.0);
    }

    @Override
    public String toString() {
        return String.format("VmRSS %d MB (anon %d, file %d)", mb(total), mb(anon), mb(file));
    }

    /** The live processes under this JVM; a zombie that only waits for its status to be read is not live. */
    static Set<Long> descendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).filter(pid -> !EngineTests.gone(pid))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Waits, polling the process table, until every live descendant of this JVM is one of {@code before}:
     * the processes started since are gone. One of {@code before} may end meanwhile (in a full test run,
     * another test's warm engine whose keep-alive runs out), which is not this wait's concern.
     *
     * @return how long it took
     * @throws AssertionError naming the processes still there when the deadline passes
     */
    static Duration awaitNoneBut(Set<Long> before, Duration limit) throws InterruptedException {
        long started = System.nanoTime();
        Set<Long> added;
        while (!(added = added(before)).isEmpty()) {
            if (System.nanoTime() - started - limit.toNanos() > 0) {
                fail("processes started under this JVM still run " + limit.toSeconds() + " s after the last client "
                        + "closed: " + describe(added) + "; before the open there were " + before);
            }
            Thread.sleep(20); // polling the process table; not ordering threads
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** @return the live descendants of this JVM that are not among {@code before} */
    static Set<Long> added(Set<Long> before) {
        Set<Long> now = descendants();
        now.removeAll(before);
        return now;
    }

    private static String describe(Set<Long> pids) {
        return pids.stream().map(pid -> pid + " (" + ProcessHandle.of(pid).flatMap(h -> h.info().commandLine())
                .map(c -> c.length() > 120 ? c.substring(0, 120) + "..." : c).orElse("?") + ")")
                .collect(Collectors.joining(", ", "[", "]"));
    }
}
