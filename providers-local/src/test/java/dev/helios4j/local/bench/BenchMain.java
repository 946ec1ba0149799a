package dev.helios4j.local.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The {@code main} of every benchmark program in this module: a temporary folder for its models,
 * a stack trace and exit status 1 on any failure, the folder removed, and an explicit exit, since
 * java-llama.cpp's native worker thread (where a benchmark loads in-process) is not a daemon.
 */
public final class BenchMain {
    /** One benchmark run, given its own temporary folder. */
    @FunctionalInterface
    public interface Body {
        void run(Path dir) throws Exception;
    }

    private BenchMain() {
    }

    /** Runs {@code body} and ends the JVM: status 0 when it returned, 1 when it threw. */
    public static void run(String tempPrefix, Body body) {
        int status = 1;
        Path dir = null;
        try {
            dir = Files.createTempDirectory(tempPrefix);
            body.run(dir);
            status = 0;
        } catch (Throwable t) {
            t.printStackTrace();
        } finally {
            deleteQuietly(dir);
            System.out.flush();
            System.exit(status);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary folder left behind is harmless
        }
    }
}
