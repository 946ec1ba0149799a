package dev.helios4j.jshell;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs the real ./helios4j launcher as CI and users do: a process, stdin piped, bounded in time. */
final class Launcher {
    static final Path SCRIPT = Path.of(System.getProperty("helios4j.launcher", "../helios4j")).toAbsolutePath().normalize();
    static final long TIMEOUT_SECONDS = 120;

    record Result(int exitCode, String output, long millis) {
    }

    private Launcher() {
    }

    /**
     * Runs {@code launcher args...} in {@code workDir} with {@code stdin} piped in. The environment is
     * this one without HELIOS4J_* variables, with {@code env} on top. On timeout the process and
     * its descendants (jshell's execution JVM) are killed by pid and the test fails.
     */
    static Result run(Path launcher, Path workDir, Map<String, String> env, String stdin, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(workDir, "launcher", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("HELIOS4J_"));
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the launcher did not exit within " + TIMEOUT_SECONDS + " s (killed pid "
                    + process.pid() + "); it printed:\n" + Files.readString(log));
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Result(process.exitValue(), Files.readString(log), millis);
    }

    /**
     * A PATH of links to every command on this PATH except {@code without}: the launcher's view of a
     * machine that lacks them. Close it to remove the links (JUnit's @TempDir warns about each one).
     */
    static final class FakePath implements AutoCloseable {
        final Path dir;

        FakePath(Set<String> without) throws IOException {
            dir = Files.createTempDirectory("helios4j-path");
            for (String entry : System.getenv("PATH").split(java.io.File.pathSeparator)) {
                if (!Files.isDirectory(Path.of(entry))) {
                    continue;
                }
                try (var files = Files.list(Path.of(entry))) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Path link = dir.resolve(p.getFileName().toString());
                        if (!without.contains(p.getFileName().toString()) && !Files.isDirectory(p)
                                && Files.isExecutable(p) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                            Files.createSymbolicLink(link, p);
                        }
                    }
                }
            }
        }

        @Override
        public void close() throws IOException {
            try (var links = Files.list(dir)) {
                for (Path p : (Iterable<Path>) links::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
