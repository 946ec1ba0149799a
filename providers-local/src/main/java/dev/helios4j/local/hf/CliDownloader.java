package dev.helios4j.local.hf;

import dev.helios4j.AuthenticationException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ModelNotFoundException;

import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Fetches a file with the Hugging Face CLI through Commons Exec: {@code hf download REPO FILE
 * [--revision R]}, or the deprecated {@code huggingface-cli download} when only that is installed.
 * The CLI writes into the shared cache (we pass {@code HF_HUB_CACHE}), draws its progress bars on
 * stderr, which we forward, and prints the file's path on stdout, which we check.
 *
 * <p>The token reaches the CLI through the {@code HF_TOKEN} variable, never as an argument, since
 * arguments are visible to every user of the machine in the process list.
 */
final class CliDownloader {
    static final List<String> NAMES = List.of("hf", "huggingface-cli");
    private static final int TAIL_LINES = 20;
    private static final Duration STREAM_DRAIN = Duration.ofSeconds(2);

    private final Path executable;

    private CliDownloader(Path executable) {
        this.executable = executable;
    }

    /** @return the first of {@code hf}, {@code huggingface-cli} found on the environment's PATH */
    static Optional<CliDownloader> find(HfEnvironment env) {
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
                            return Optional.of(new CliDownloader(file.toAbsolutePath()));
                        }
                    } catch (InvalidPathException ignored) {
                        // A malformed PATH entry cannot hold the CLI; try the next one.
                    }
                }
            }
        }
        return Optional.empty();
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
        Deque<String> stderrTail = new ArrayDeque<>();
        LineSplitter stderr = new LineSplitter(line -> onStderrLine(ref, line, listener, stderrTail, redact));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();

        CommandLine command = new CommandLine(executable.toFile());
        command.addArgument("download", false);
        command.addArgument(ref.repo(), false);
        command.addArgument(ref.file(), false);
        if (!HfModelRef.DEFAULT_REVISION.equals(ref.revision())) {
            command.addArgument("--revision", false);
            command.addArgument(ref.revision(), false);
        }
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
        ProcessTracker tracker = new ProcessTracker();
        executor.setProcessDestroyer(tracker);
        DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
        String shown = describe(ref);
        try {
            executor.execute(command, childEnv, result);
            result.waitFor(timeout);
        } catch (IOException e) {
            throw new LlmException("Could not start '" + shown + "' (" + executable + "): " + e.getMessage()
                    + ". Check that the Hugging Face CLI is installed and works.", e);
        } catch (InterruptedException e) {
            tracker.killTree();
            Thread.currentThread().interrupt();
            throw new LlmException("Download of " + ref + " cancelled: the thread was interrupted and '" + shown
                    + "' was stopped. The partial file stays in the cache; the next download resumes it.", e);
        }
        if (!result.hasResult()) {
            tracker.killTree();
            awaitQuietly(result);
            throw new LlmTimeoutException("'" + shown + "' did not finish within " + Durations.format(timeout) + " and"
                    + " was stopped. Raise the limit with HfModels.builder().timeout(...), or run the command"
                    + " yourself." + tail(stderrTail), null, null);
        }
        int exit = result.getExitValue();
        if (result.getException() != null && exit == 0) {
            exit = -1;
        }
        if (exit != 0) {
            throw failure(ref, shown, exit, stderrTail);
        }
        return printedPath(ref, shown, redact.apply(stdout.toString(StandardCharsets.UTF_8)), stderrTail);
    }

    private static void onStderrLine(HfModelRef ref, String raw, SafeListener listener, Deque<String> tail,
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
        synchronized (tail) {
            tail.addLast(redact.apply(line));
            while (tail.size() > TAIL_LINES) {
                tail.removeFirst();
            }
        }
    }

    /**
     * Finds the path in what the CLI printed: older versions print the bare path, newer ones a
     * "path: ..." line for people or "path=..." for scripts. The last absolute path wins.
     */
    private static Path printedPath(HfModelRef ref, String shown, String stdout, Deque<String> stderrTail) {
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
        Path path = Path.of(found);
        if (!path.endsWith(Path.of(ref.file()))) {
            throw new LlmException("'" + shown + "' reported " + found + ", which is not " + ref.file() + ". Run the"
                    + " command yourself to see what it fetched, and check for a CLI wrapper that rewrites output.");
        }
        if (!Files.isRegularFile(path)) {
            throw new LlmException("'" + shown + "' reported " + found + " for " + ref + ", but there is no file"
                    + " there. Look for a second Hugging Face cache or a CLI wrapper that rewrites output, then"
                    + " run the command again.");
        }
        return path;
    }

    private static LlmException failure(HfModelRef ref, String shown, int exit, Deque<String> stderrTail) {
        String text;
        synchronized (stderrTail) {
            text = String.join("\n", stderrTail);
        }
        String lower = text.toLowerCase(Locale.ROOT);
        String base = "'" + shown + "' failed (exit " + exit + ")";
        if (lower.contains("repositorynotfound") || lower.contains("repository not found")) {
            return new ModelNotFoundException(base + ": the repository " + ref.repo() + " does not exist, or it is"
                    + " private or gated and no token allowed access. Check the name; for a private or gated model,"
                    + " set HF_TOKEN (or run 'hf auth login') and accept its terms on its page." + tail(stderrTail));
        }
        if (lower.contains("gated") || lower.contains("401") || lower.contains("403")
                || lower.contains("unauthorized") || lower.contains("forbidden")) {
            int status = lower.contains("403") || lower.contains("forbidden") ? 403 : 401;
            return new AuthenticationException(base + ": access to " + ref.repo() + " was refused. Set HF_TOKEN (or"
                    + " run 'hf auth login') with a token that can read it, and accept the model's terms on its"
                    + " page if it is gated." + tail(stderrTail), status, text);
        }
        if (lower.contains("entrynotfound") || lower.contains("revisionnotfound") || lower.contains("404")
                || lower.contains("does not exist")) {
            return new ModelNotFoundException(base + ": " + ref.file() + " at revision " + ref.revision()
                    + " is not in " + ref.repo() + ". Check the file name and revision on the model's page."
                    + tail(stderrTail));
        }
        return new LlmException(base + ". Run the command yourself to see the whole output; check the network,"
                + " HF_ENDPOINT and HF_TOKEN." + tail(stderrTail));
    }

    private static String tail(Deque<String> lines) {
        synchronized (lines) {
            return lines.isEmpty() ? "" : " Its last output:\n" + String.join("\n", lines);
        }
    }

    private static String excerpt(String text) {
        String clean = CliProgressParser.clean(text);
        return clean.length() > 300 ? clean.substring(0, 300) + "..." : clean;
    }

    static UnaryOperator<String> redactor(Optional<String> token) {
        return text -> token.filter(t -> t.length() >= 4).map(t -> text.replace(t, "***")).orElse(text);
    }

    private static void awaitQuietly(DefaultExecuteResultHandler result) {
        try {
            result.waitFor(STREAM_DRAIN.multipliedBy(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Learns the started process from Commons Exec, so a timeout can stop it and its children. */
    private static final class ProcessTracker implements ProcessDestroyer {
        private volatile Process process;

        @Override
        public boolean add(Process started) {
            process = started;
            return true;
        }

        @Override
        public boolean remove(Process finished) {
            return true;
        }

        @Override
        public int size() {
            return process == null ? 0 : 1;
        }

        void killTree() {
            Process p = process;
            if (p != null) {
                // Children first: once the parent is gone they are re-parented and out of reach.
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }
}
