package dev.helios4j.local.hf;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.Secret;

import dev.helios4j.internal.Format;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Fetches a file with the Hugging Face CLI through Commons Exec: {@code hf download [--revision R]
 * -- REPO FILE}, or the deprecated {@code huggingface-cli download} when only that is installed.
 * The {@code --} (which both CLIs' parsers, argparse and click, read as "only positional arguments
 * follow") and the name checks in {@link HfNames}, which refuse any name starting with {@code -},
 * keep a name from ever being read as an option. The CLI writes into the shared cache (we pass
 * {@code HF_HUB_CACHE}), draws its progress bars on stderr, which we forward, and prints the
 * file's path on stdout, which we check: it must be that file, inside the cache. Only the last
 * lines of each stream are kept, so a CLI that floods its output cannot exhaust the heap.
 *
 * <p>The token reaches the CLI through the {@code HF_TOKEN} variable, never as an argument, since
 * arguments are visible to every user of the machine in the process list.
 */
final class CliDownloader {
    static final List<String> NAMES = List.of("hf", "huggingface-cli");
    private static final int TAIL_LINES = 20;
    private static final int STDOUT_LINES = 50;
    private static final Duration STREAM_DRAIN = Duration.ofSeconds(2);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final Set<String> NO_CLI = Set.of("none", "off", "false", "no", "builtin");

    private final Path executable;
    private final Consumer<String> probe;

    private CliDownloader(Path executable, Consumer<String> probe) {
        this.executable = executable;
        this.probe = probe;
    }

    /**
     * The CLI the setting {@code hf.cli} names, or else the first of {@code hf},
     * {@code huggingface-cli} found on the environment's PATH.
     *
     * @return empty when none is found, or when {@code hf.cli} is {@code none}
     * @throws InvalidRequestException when {@code hf.cli} names no executable file
     */
    static Optional<CliDownloader> find(HfEnvironment env) {
        Optional<String> chosen = env.cli();
        if (chosen.isPresent()) {
            String value = chosen.get().strip();
            if (NO_CLI.contains(value.toLowerCase(Locale.ROOT))) {
                return Optional.empty();
            }
            try {
                Path file = Path.of(value);
                if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return Optional.of(new CliDownloader(file.toAbsolutePath(), event -> { }));
                }
            } catch (InvalidPathException e) {
                // Reported below.
            }
            throw new InvalidRequestException("The setting hf.cli is '" + value + "', which is not an executable file."
                    + " Set it to the path of hf or huggingface-cli, or to none to use the built-in downloader.");
        }
        String path = env.get("PATH").orElse("");
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        for (String name : NAMES) {
            for (String dir : path.split(File.pathSeparator)) {
                if (dir.isEmpty()) {
                    continue;
                }
                for (String candidate : windows ? List.of(name + ".exe", name + ".cmd") : List.of(name)) {
                    try {
                        Path file = Path.of(dir, candidate);
                        if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                            return Optional.of(new CliDownloader(file.toAbsolutePath(), event -> { }));
                        }
                    } catch (InvalidPathException ignored) {
                        // A malformed PATH entry cannot hold the CLI; try the next one.
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The same CLI, telling {@code probe} when a process is handed over and when a cancel waits for one. */
    CliDownloader withProbe(Consumer<String> probe) {
        return new CliDownloader(executable, probe);
    }

    Path executable() {
        return executable;
    }

    /** @return the command as a user would type it, for messages */
    String describe(HfModelRef ref) {
        String name = executable.getFileName().toString();
        return ref.fetchCommand().replaceFirst("^hf ", name.startsWith("huggingface-cli") ? "huggingface-cli " : name + " ");
    }

    Path download(HfModelRef ref, Path cacheDir, HfEnvironment env, Optional<String> token, Duration timeout,
            DownloadListener userListener) {
        UnaryOperator<String> redact = redactor(token);
        SafeListener listener = new SafeListener(userListener, redact);
        LastLines stderrTail = new LastLines(TAIL_LINES);
        LineSplitter stderr = new LineSplitter(line -> onStderrLine(ref, line, listener, stderrTail, redact));
        LastLines stdoutTail = new LastLines(STDOUT_LINES);
        LineSplitter stdout = new LineSplitter(stdoutTail::add);

        CommandLine command = new CommandLine(executable.toFile());
        command.addArgument("download", false);
        if (!HfModelRef.DEFAULT_REVISION.equals(ref.revision())) {
            command.addArgument("--revision", false);
            command.addArgument(ref.revision(), false);
        }
        command.addArgument("--", false);
        command.addArgument(ref.repo(), false);
        command.addArgument(ref.file(), false);
        Map<String, String> childEnv = new HashMap<>(env.variables());
        // The same cache we look in, whatever the variables said, so every tool finds the file.
        childEnv.put("HF_HUB_CACHE", cacheDir.toString());
        childEnv.put("HUGGINGFACE_HUB_CACHE", cacheDir.toString());
        childEnv.remove("HF_HUB_OFFLINE");
        token.ifPresent(t -> childEnv.put("HF_TOKEN", t));

        DefaultExecutor executor = DefaultExecutor.builder().setWorkingDirectory(cacheDir).get();
        executor.setExitValues(null);
        PumpStreamHandler streams = new PumpStreamHandler(stdout, stderr);
        // Bounds the wait for pipes that a leftover grandchild might keep open.
        streams.setStopTimeout(STREAM_DRAIN);
        executor.setStreamHandler(streams);
        ProcessTracker tracker = new ProcessTracker(probe);
        executor.setProcessDestroyer(tracker);
        DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
        String shown = describe(ref);
        try {
            executor.execute(command, childEnv, result);
        } catch (IOException e) {
            throw new LlmException("Could not start '" + shown + "' (" + executable + "): " + e.getMessage()
                    + ". Check that the Hugging Face CLI is installed and works.", e);
        }
        try {
            result.waitFor(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            boolean stopped = tracker.stop(STOP_WAIT, result::hasResult);
            throw new LlmException("Download of " + ref + " cancelled: the thread was interrupted and '" + shown + "' "
                    + stoppedOrNot(stopped, tracker) + ". The partial file stays in the cache; the next download"
                    + " resumes it.", e);
        }
        if (!result.hasResult()) {
            boolean stopped = tracker.stop(STOP_WAIT, result::hasResult);
            throw new LlmTimeoutException("'" + shown + "' did not finish within " + Format.duration(timeout) + " and "
                    + stoppedOrNot(stopped, tracker) + ". Raise the limit with HfModels.builder().timeout(...), or run"
                    + " the command yourself." + tail(stderrTail), null, null);
        }
        int exit = result.getExitValue();
        if (result.getException() != null && exit == 0) {
            exit = -1;
        }
        if (exit != 0) {
            stderr.close();
            String base = "'" + shown + "' failed (exit " + exit + ")";
            throw CliErrors.map(ref, base, stderrTail.text(), tail(stderrTail));
        }
        stdout.close(); // hands over a last line that had no line end
        return printedPath(ref, shown, redact.apply(stdoutTail.text()), stderrTail, cacheDir);
    }

    private static String stoppedOrNot(boolean stopped, ProcessTracker tracker) {
        return stopped ? "was stopped"
                : "was told to stop but had not ended after " + Format.duration(STOP_WAIT) + " (pid " + tracker.pid()
                        + "); end it yourself if it is still running";
    }

    private static void onStderrLine(HfModelRef ref, String raw, SafeListener listener, LastLines tail,
            UnaryOperator<String> redact) {
        Optional<long[]> counts = CliProgressParser.parse(raw);
        if (counts.isPresent()) {
            listener.onProgress(new DownloadProgress(ref, counts.get()[0], counts.get()[1]));
            return;
        }
        String line = CliProgressParser.clean(raw);
        if (line.isEmpty() || CliProgressParser.isBar(line)) {
            return;
        }
        listener.onMessage(line);
        tail.add(redact.apply(line));
    }

    /**
     * Finds the path in what the CLI printed: older versions print the bare path, newer ones a
     * "path: ..." line for people or "path=..." for scripts. The last absolute path wins. It must
     * name the file asked for and, links followed, lie inside the cache.
     */
    private static Path printedPath(HfModelRef ref, String shown, String stdout, LastLines stderrTail, Path cacheDir) {
        String found = null;
        for (String raw : stdout.split("\\R")) {
            String line = CliProgressParser.clean(raw);
            if (line.startsWith("path:") || line.startsWith("path=")) {
                line = line.substring(5).strip();
            }
            if (line.startsWith("/") || line.matches("^[A-Za-z]:[\\\\/].*")) {
                found = line;
            }
        }
        if (found == null) {
            throw new LlmException("'" + shown + "' succeeded but printed no file path, so the download cannot be"
                    + " checked. It printed: '" + excerpt(stdout) + "'. Update the Hugging Face CLI"
                    + " (pip install -U huggingface_hub), or use HfModels.builder().method(DownloadMethod.BUILTIN)."
                    + tail(stderrTail));
        }
        Path path;
        try {
            path = Path.of(found);
        } catch (InvalidPathException e) {
            throw new LlmException("'" + shown + "' reported '" + excerpt(found) + "', which is not a path. Run the"
                    + " command yourself to see what it fetched.", e);
        }
        if (!path.endsWith(Path.of(ref.file()))) {
            throw new LlmException("'" + shown + "' reported " + found + ", which is not " + ref.file() + ". Run the"
                    + " command yourself to see what it fetched, and check for a CLI wrapper that rewrites output.");
        }
        if (!Files.isRegularFile(path)) {
            throw new LlmException("'" + shown + "' reported " + found + " for " + ref + ", but there is no file"
                    + " there. Look for a second Hugging Face cache or a CLI wrapper that rewrites output, then"
                    + " run the command again.");
        }
        HfCache.requireInside(cacheDir, path, "'" + shown + "' reported " + found + " for " + ref);
        return path;
    }

    private static String tail(LastLines lines) {
        return lines.isEmpty() ? "" : " Its last output:\n" + lines.text();
    }

    private static String excerpt(String text) {
        String clean = CliProgressParser.clean(text);
        return clean.length() > 300 ? clean.substring(0, 300) + "..." : clean;
    }

    /** Masks the token in any text the CLI printed, with the mask {@link Secret} uses everywhere. */
    static UnaryOperator<String> redactor(Optional<String> token) {
        // A "token" of a few characters is no secret, and masking it would garble every message.
        Optional<Secret> secret = token.filter(t -> t.strip().length() >= 4).map(Secret::of);
        return text -> secret.map(s -> s.redact(text)).orElse(text);
    }
}
