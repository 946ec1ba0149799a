package dev.helios4j.local.internal.engine;

import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.Secret;
import dev.helios4j.internal.Format;
import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ProcessDestroyer;

/**
 * One running engine: a child process on a free loopback port with a random key, started through
 * Commons Exec and waited for until its {@code /health} answers 200. Its stdin is a pipe this JVM
 * holds open and never writes, so the engine ends when this JVM ends, however it ends.
 * Thread-safe.
 */
final class EngineProcess {
    private static final System.Logger LOG = System.getLogger(EngineProcess.class.getName());
    private static final int TAIL_LINES = 50;
    private static final int PORT_ATTEMPTS = 3;
    private static final long LONGEST_POLL_MILLIS = 200;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EngineCommand command;
    private final int port;
    private final Secret key;
    private final OutputTail output;
    private final EngineHttp http;
    private final CompletableFuture<Process> started = new CompletableFuture<>();
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private volatile boolean stopping;
    private volatile long launchedNanos;
    private volatile long startMillis;

    private EngineProcess(EngineCommand command, int port, Secret key) {
        this.command = command;
        this.port = port;
        this.key = key;
        this.output = new OutputTail(TAIL_LINES, key::redact, "helios4j-engine-" + port);
        this.http = new EngineHttp(port, key);
    }

    /**
     * Starts the command and waits until it is healthy. Interrupting the caller stops the process
     * and returns at once.
     *
     * @param command what to run
     * @param startTimeout the longest wait for {@code /health} to answer 200
     * @return the healthy engine
     * @throws LlmException when it exits early (with its exit code or signal and last lines), does
     *     not become healthy in time, or the caller is interrupted (the interrupt flag is set again)
     */
    static EngineProcess start(EngineCommand command, Duration startTimeout) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        for (int attempt = 1; ; attempt++) {
            EngineProcess p = new EngineProcess(command, freePort(), newKey());
            try {
                p.launch();
                p.awaitHealthy(deadline, startTimeout);
                return p;
            } catch (PortTaken e) {
                // Another program took the port between our probe and the engine's bind: try another.
                if (attempt == PORT_ATTEMPTS) {
                    throw e.failure;
                }
            }
        }
    }

    /** @return the port the engine listens on, on 127.0.0.1 */
    int port() {
        return port;
    }

    /** @return the OpenAI-compatible base URL, such as {@code http://127.0.0.1:PORT/v1} */
    String baseUrl() {
        return http.base() + "/v1";
    }

    Secret key() {
        return key;
    }

    EngineHttp http() {
        return http;
    }

    EngineCommand command() {
        return command;
    }

    /** @return how long the start took, until healthy */
    Duration startTime() {
        return Duration.ofMillis(startMillis);
    }

    /**
     * @return the engine's own process: the server itself, not the watchdog shell around it; empty
     *     before it started or once it is gone
     */
    Optional<ProcessHandle> engineHandle() {
        Process p = started.getNow(null);
        if (p == null || !p.isAlive()) {
            return Optional.empty();
        }
        if (command.exitsOnStdinEof()) {
            return Optional.of(p.toHandle());
        }
        Optional<String> shell = p.info().command();
        return p.children().filter(h -> !h.info().command().equals(shell)).findFirst();
    }

    /** @return whether the process has ended */
    boolean hasExited() {
        return exit.isDone();
    }

    /**
     * Waits for the process to end.
     *
     * @param limit the longest wait
     * @return true when it ended within the limit
     * @throws InterruptedException when the caller is interrupted
     */
    boolean awaitExit(Duration limit) throws InterruptedException {
        try {
            exit.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // it never started, which is an end too
        }
        return true;
    }

    /** @return how the process ended, for messages; or empty while it runs or after {@link #stop()} */
    Optional<String> death() {
        if (!exit.isDone() || stopping) {
            return Optional.empty();
        }
        Integer code = exit.getNow(null);
        return Optional.of(code == null ? "could not be started" : ExitStatus.describe(code));
    }

    /** @return the last lines the engine printed, as a block for a message */
    String lastOutput() {
        return output.excerpt();
    }

    /** @return the engine's description for messages, with its pid when known */
    String describe() {
        Process p = started.getNow(null);
        return command.describe() + (p == null ? "" : ", pid " + p.pid()) + ", port " + port;
    }

    /**
     * Stops the engine and its children and waits, a few seconds at most, for it to end. Idempotent.
     * The memory it held is back once this returns.
     */
    void stop() {
        stopping = true;
        Process p = started.getNow(null);
        List<ProcessHandle> tree = p == null ? List.of() : p.descendants().toList(); // before the shell dies
        output.closeStdin(); // the watchdog (or the Java engine) ends the server on this alone
        killTree();
        try {
            // The shell's end is not the server's: a killed grandchild takes a moment to die.
            if (!awaitExit(Duration.ofSeconds(10)) || !ProcessEnd.awaitAll(tree, Duration.ofSeconds(10))) {
                LOG.log(Level.WARNING, () -> "The engine process " + describe() + " did not end within 10 s of SIGKILL.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // it was killed; only the wait is cut short
        }
    }

    @Override
    public String toString() {
        return "EngineProcess[" + describe() + (exit.isDone() ? ", ended]" : "]");
    }

    private void killTree() {
        Process p = started.getNow(null);
        if (p != null) {
            // Children first: once the shell is gone they are re-parented and out of reach.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private void launch() {
        List<String> argv = command.argv(port, key);
        DefaultExecutor executor = new ExactExecutor(argv);
        executor.setStreamHandler(output);
        executor.setExitValues(null);
        executor.setProcessDestroyer(new Tracker());
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(command.environment(key));
        launchedNanos = System.nanoTime();
        // Commons Exec's own asynchronous runner uses a non-daemon thread, which would keep a JVM
        // alive for as long as an idle engine: run it synchronously on a daemon thread instead.
        Thread runner = new Thread(() -> {
            try {
                exit.complete(executor.execute(new CommandLine(argv.get(0)), env));
            } catch (IOException | RuntimeException e) {
                exit.completeExceptionally(e);
            }
        }, "helios4j-engine-" + port);
        runner.setDaemon(true);
        runner.start();
    }

    private void awaitHealthy(long deadline, Duration startTimeout) {
        long pause = 10;
        try {
            while (true) {
                if (exit.isDone()) {
                    throw earlyExit();
                }
                int status = http.health();
                if (status == 200) {
                    startMillis = (System.nanoTime() - launchedNanos) / 1_000_000;
                    LOG.log(Level.DEBUG, () -> "Started " + describe() + " in " + startMillis + " ms");
                    return;
                }
                if (System.nanoTime() - deadline >= 0) {
                    stop();
                    throw new LlmTimeoutException("The engine process " + command.describe() + " did not become ready within "
                            + Format.duration(startTimeout) + " (last /health answer: " + (status < 0 ? "none" : "HTTP "
                            + status) + ") and was stopped. A large model may need longer: raise llamacpp.start-timeout "
                            + "(e.g. -Dhelios4j.llamacpp.start-timeout=15m)." + output.excerpt(), null, "");
                }
                try {
                    exit.get(pause, TimeUnit.MILLISECONDS); // wakes at once when the engine exits
                } catch (TimeoutException | ExecutionException e) {
                    // still running, or it failed to launch: the loop's first check reports it
                }
                pause = Math.min(pause * 2, LONGEST_POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            stop();
            Thread.currentThread().interrupt();
            throw new LlmException("Starting " + command.describe() + " was interrupted; the engine was stopped.", e);
        }
    }

    private LlmException earlyExit() {
        Integer code;
        try {
            code = exit.get();
        } catch (ExecutionException | InterruptedException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            return new LlmException("Could not start " + command.describe() + ": " + key.redact(String.valueOf(cause))
                    + ". Check that the program exists and runs" + (command.exitsOnStdinEof() ? "."
                    : ", e.g. by running it with --version (the setting llamacpp.server names it)."), cause);
        }
        output.stop(); // the lines printed just before the exit
        String tail = output.excerpt();
        LlmException failure = new LlmException("The engine process " + command.describe() + " " + ExitStatus.describe(code)
                + " before it was ready. Check the model file and the llamacpp.* settings." + tail);
        String lower = tail.toLowerCase(Locale.ROOT);
        if (lower.contains("address already in use") || lower.contains("couldn't bind") || lower.contains("could not bind")) {
            return new PortTaken(failure);
        }
        return failure;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new LlmException("Cannot find a free port on 127.0.0.1 for an engine: " + e.getMessage(), e);
        }
    }

    private static Secret newKey() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Secret.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** An early exit because the port was taken: worth another port. */
    private static final class PortTaken extends LlmException {
        private static final long serialVersionUID = 1L;
        private final transient LlmException failure;

        PortTaken(LlmException failure) {
            super(failure.getMessage());
            this.failure = failure;
        }
    }

    /**
     * Commons Exec's executor and supervision, launching the exact argument list: its own
     * {@code CommandLine} trims arguments and expands {@code ${...}} in them.
     */
    private static final class ExactExecutor extends DefaultExecutor {
        private final List<String> argv;

        ExactExecutor(List<String> argv) {
            this.argv = List.copyOf(argv);
        }

        @Override
        protected Process launch(CommandLine ignored, Map<String, String> env, Path dir) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(argv);
            if (dir != null) {
                builder.directory(dir.toFile());
            }
            if (env != null) {
                builder.environment().clear();
                builder.environment().putAll(env);
            }
            return builder.start();
        }

        @Override
        protected Process launch(CommandLine ignored, Map<String, String> env, File dir) throws IOException {
            return launch(ignored, env, dir == null ? null : dir.toPath());
        }
    }

    /** Learns the started process from Commons Exec; kills it at once if a stop came first. */
    private final class Tracker implements ProcessDestroyer {
        @Override
        public boolean add(Process process) {
            started.complete(process);
            if (stopping) {
                killTree();
            }
            return true;
        }

        @Override
        public boolean remove(Process process) {
            return true;
        }

        @Override
        public int size() {
            return started.isDone() ? 1 : 0;
        }
    }
}
