package dev.helios4j.local.internal.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real EngineServer in a child JVM, on this test JVM's class path, with its stdout and stderr
 * read line by line into queues. Closing it stops the process (and waits for it).
 */
final class EngineServerProcess implements AutoCloseable {
    static final Duration START = Duration.ofSeconds(60);
    private static Path demo;
    private static Path longContextDemo;

    final Process process;
    final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    final BlockingQueue<String> stderr = new LinkedBlockingQueue<>();
    private final List<String> stderrSeen = new ArrayList<>();
    private int port = -1;

    private EngineServerProcess(List<String> args, java.util.Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(EngineServer.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("LLAMA_API_KEY");
        builder.environment().putAll(env);
        process = builder.start();
        pump(process.getInputStream(), stdout, "engine-stdout");
        pump(process.getErrorStream(), stderr, "engine-stderr");
    }

    /** Starts an engine with these flags; does not wait for anything. */
    static EngineServerProcess start(String... args) throws IOException {
        return new EngineServerProcess(List.of(args), java.util.Map.of());
    }

    /** Starts an engine on the demo model on a free port, and waits until it is healthy. */
    static EngineServerProcess startDemo(String... more) throws Exception {
        return startDemoLike(demoModel(), more);
    }

    /** Starts an engine on this model on a free port, and waits until it is healthy. */
    static EngineServerProcess startDemoLike(Path model, String... more) throws Exception {
        return startHealthy(model, java.util.Map.of(), more);
    }

    /** Starts an engine on this model with these environment variables, and waits until it is healthy. */
    static EngineServerProcess startHealthy(Path model, java.util.Map<String, String> env, String... more)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("-m", model.toString(), "--host", "127.0.0.1", "--port", "0"));
        args.addAll(List.of(more));
        EngineServerProcess p = new EngineServerProcess(args, env);
        try {
            p.awaitListening();
            p.awaitHealthy();
            return p;
        } catch (Exception | AssertionError e) {
            p.close();
            throw e;
        }
    }

    /**
     * The demo model told it was trained on 262,144 tokens, so a context that long passes the
     * context check and "Loop" can run for tens of seconds in one slot.
     */
    static synchronized Path longContextDemoModel() throws IOException {
        if (longContextDemo == null) {
            Path dir = Files.createTempDirectory("helios4j-engine-test");
            longContextDemo = dev.helios4j.local.internal.gguf.DemoModels.writeEditedDemo(dir.resolve("demo-long.gguf"),
                    w -> w.remove("llama.context_length").putUInt32("llama.context_length", 262_144));
        }
        return longContextDemo;
    }

    static synchronized Path demoModel() throws IOException {
        if (demo == null) {
            Path dir = Files.createTempDirectory("helios4j-engine-test");
            demo = dev.helios4j.local.internal.gguf.DemoModels.writeDemo(dir.resolve("demo.gguf"));
        }
        return demo;
    }

    /** Waits for the ready line and reads the port from it. */
    int awaitListening() throws InterruptedException {
        String line = stdout.poll(START.toSeconds(), TimeUnit.SECONDS);
        if (line == null || !line.startsWith("helios4j engine listening on http://127.0.0.1:")) {
            throw new AssertionError("no ready line within " + START + " but: " + line + "; stderr: " + stderrSoFar());
        }
        port = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
        return port;
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Polls /health until it answers 200; fails with the engine's stderr after the deadline. */
    void awaitHealthy() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long until = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new AssertionError("the engine exited with " + process.exitValue() + ": " + stderrSoFar());
            }
            if (health(http).statusCode() == 200) {
                return;
            }
            Thread.sleep(20); // polling an outside process; no ordering depends on it
        }
        throw new AssertionError("the engine was not healthy within " + START + "; stderr: " + stderrSoFar());
    }

    HttpResponse<String> health(HttpClient http) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/health")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Waits for a stderr line that matches, keeping the lines read for messages. */
    String awaitStderr(Predicate<String> matches, Duration limit) throws InterruptedException {
        synchronized (stderrSeen) {
            for (String line : stderrSeen) {
                if (matches.test(line)) {
                    return line;
                }
            }
        }
        long until = System.nanoTime() + limit.toNanos();
        while (true) {
            long left = until - System.nanoTime();
            String line = left <= 0 ? null : stderr.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no such line on the engine's stderr within " + limit + "; saw: " + stderrSoFar());
            }
            synchronized (stderrSeen) {
                stderrSeen.add(line);
            }
            if (matches.test(line)) {
                return line;
            }
        }
    }

    String stderrSoFar() {
        List<String> lines;
        synchronized (stderrSeen) {
            lines = new ArrayList<>(stderrSeen);
        }
        stderr.drainTo(lines);
        synchronized (stderrSeen) {
            stderrSeen.clear();
            stderrSeen.addAll(lines);
        }
        return String.join(" | ", lines);
    }

    /** Waits for the process to exit; fails after the deadline. */
    int awaitExit(Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the engine did not exit within " + limit + "; stderr: " + stderrSoFar());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    private static void pump(InputStream in, BlockingQueue<String> lines, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the stream was closed on our side (Process.destroy closes it): no more lines
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }
}
