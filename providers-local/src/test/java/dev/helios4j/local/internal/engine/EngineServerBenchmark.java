package dev.helios4j.local.internal.engine;

import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import dev.helios4j.StreamListener;
import dev.helios4j.local.bench.BenchMain;
import dev.helios4j.local.internal.LlamaEngine;
import dev.helios4j.local.internal.gguf.DemoModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;


/**
 * Tokens per second through the Java engine process (EngineServer in a child JVM, reached with
 * helios4j's OpenAI-compatible client) against the in-process path (the same LlamaEngine in this
 * JVM), side by side in one run, on the tiny demo model and on the 134M-parameter F16 benchmark
 * model. Prints one Markdown table. With {@code -Dbench.llamaServer=/path/to/llama-server}, a real
 * llama-server started with the same flags is measured in the same run as a third column (C).
 *
 * <p>Not a test (Surefire skips it by its name). Fairness: both sides load the same file with the
 * same context, threads (1 generation, all cores for prompts), one slot, the same raw template,
 * greedy decoding and the same token limit; repetitions alternate which side goes first, and
 * medians are reported. {@code -Dbench.quick=true} runs a few repetitions only.
 */
public final class EngineServerBenchmark {
    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final String LLAMA_SERVER = System.getProperty("bench.llamaServer", "");
    private static final String BIG_PROMPT = "Once upon a time, in a small town by the sea, there lived an old "
            + "sailor who told the children stories about the storms he had seen and the ships he had lost.";

    private record Run(long start, long first, long last, long end, int tokens, String text) {
        double decodeRate() {
            return (tokens - 1) / ((last - first) / 1e9);
        }

        double overallRate() {
            return tokens / ((end - start) / 1e9);
        }

        double firstMs() {
            return (first - start) / 1e6;
        }
    }

    private final List<String> rows = new ArrayList<>();
    private final int cores = Runtime.getRuntime().availableProcessors();

    private EngineServerBenchmark() {
    }

    public static void main(String[] args) {
        BenchMain.run("helios4j-engine-bench-", dir -> new EngineServerBenchmark().run(dir));
    }

    private void run(Path dir) throws Exception {
        if (!Boolean.getBoolean("bench.skipTiny")) {
            Path tiny = DemoModels.writeDemo(dir.resolve("demo.gguf"));
            compare("Tiny demo", tiny, DemoModels.LOOP_PROMPT, 2000, QUICK ? 1 : 2, QUICK ? 2 : 9);
        }
        // -Dbench.big=FILE reuses a 134M model written before (by DemoModels.writeRandom), or writes it there.
        Path big = Path.of(System.getProperty("bench.big", dir.resolve("random-134m-f16.gguf").toString()));
        if (!Files.isRegularFile(big)) {
            DemoModels.writeRandom(big, DemoModels.RandomShape.benchmark());
        }
        compare("134M F16", big, BIG_PROMPT, 128, 1, QUICK ? 2 : 7);
        System.out.println();
        if (LLAMA_SERVER.isEmpty()) {
            System.out.println("| Model, tokens | in-process (A) | engine process (B) | B/A |");
            System.out.println("|---|---:|---:|---:|");
        } else {
            System.out.println("| Model, tokens | in-process (A) | engine process (B) | B/A | llama-server (C) | C/A |");
            System.out.println("|---|---:|---:|---:|---:|---:|");
        }
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nMachine: %d cores, load average now %s. Medians of interleaved repetitions.%n",
                cores, loadAverage());
    }

    private void compare(String label, Path model, String prompt, int tokens, int warmup, int reps) throws Exception {
        String ctx = Integer.toString(DemoModels.CONTEXT_LENGTH);
        String batch = Integer.toString(cores);
        Settings settings = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"))
                .with("llamacpp.chat-template", EngineServerTest.RAW_TEMPLATE).with("llamacpp.context-size", ctx)
                .with("llamacpp.threads", "1").with("llamacpp.threads-batch", batch).with("llamacpp.parallel", "1");
        log("%s: loading in-process and starting the engine process", label);
        List<String> flags = List.of("-c", ctx, "-t", "1", "-tb", batch, "-np", "1", "--jinja", "--chat-template",
                EngineServerTest.RAW_TEMPLATE, "--alias", "bench");
        Process server = null;
        try (LlamaEngine local = LlamaEngine.load(model.toString(), "bench", settings);
             EngineServerProcess process = EngineServerProcess.startDemoLike(model, flags.toArray(String[]::new));
             LlmClient remote = EngineServerTest.clientOf(process, "unused")) {
            LlmClient real = null;
            if (!LLAMA_SERVER.isEmpty()) {
                int port;
                try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                    port = free.getLocalPort();
                }
                List<String> command = new ArrayList<>(List.of(LLAMA_SERVER, "-m", model.toString(), "--host",
                        "127.0.0.1", "--port", Integer.toString(port)));
                command.addAll(flags);
                server = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(dir(model).resolve("llama-server.log").toFile()).start();
                awaitHealthy(port);
                real = dev.helios4j.remote.OpenAiClients.builder(Settings.of(Map.of(), Map.of(),
                        Path.of("/nonexistent-home"))).baseUrl("http://127.0.0.1:" + port + "/v1").maxRetries(0).open("bench");
            }
            ChatRequest request = ChatRequest.builder().user(prompt).temperature(0).maxTokens(tokens).build();
            List<Streamer> sides = new ArrayList<>(List.of(local::stream, remote::stream));
            if (real != null) {
                sides.add(real::stream);
            }
            List<List<Run>> runs = new ArrayList<>();
            sides.forEach(x -> runs.add(new ArrayList<>()));
            log("%s: %d warm-up and %d measured repetitions of %d tokens", label, warmup, reps, tokens);
            for (int i = 0; i < warmup + reps; i++) {
                for (int k = 0; k < sides.size(); k++) {
                    int side = (i + k) % sides.size(); // rotate the order so no side always runs first
                    Run r = time(sides.get(side), request);
                    if (i >= warmup) {
                        runs.get(side).add(r);
                    }
                }
            }
            if (!runs.get(0).get(0).text.equals(runs.get(1).get(0).text)) {
                log("WARNING %s: the in-process and engine answers differ", label);
            }
            String what = label + ", " + runs.get(0).get(0).tokens + " tokens";
            row(what + ": generation tok/s, first to last piece", runs, Run::decodeRate, "%.0f");
            row(what + ": end-to-end tok/s, call to return", runs, Run::overallRate, "%.0f");
            row(label + ": time to first piece, ms (lower is better)", runs, Run::firstMs, "%.2f");
            if (real != null) {
                real.close();
            }
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor();
            }
        }
    }

    private static Path dir(Path model) {
        return model.getParent();
    }

    private static void awaitHealthy(int port) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            try {
                if (http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                        + "/health")).build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("llama-server did not become healthy within 120 s");
    }

    private interface Streamer {
        ChatResponse stream(ChatRequest request, StreamListener listener);
    }

    private static Run time(Streamer side, ChatRequest request) {
        long[] firstLast = new long[2];
        long start = System.nanoTime();
        ChatResponse r = side.stream(request, piece -> {
            long now = System.nanoTime();
            if (firstLast[0] == 0) {
                firstLast[0] = now;
            }
            firstLast[1] = now;
        });
        long end = System.nanoTime();
        return new Run(start, firstLast[0], firstLast[1], end, r.usage().completionTokens(), r.text());
    }

    private void row(String what, List<List<Run>> runs, ToDoubleFunction<Run> f, String format) {
        double a = median(runs.get(0), f);
        StringBuilder row = new StringBuilder("| " + what + " | " + String.format(Locale.ROOT, format, a));
        for (List<Run> side : runs.subList(1, runs.size())) {
            double v = median(side, f);
            row.append(" | ").append(String.format(Locale.ROOT, format, v))
                    .append(String.format(Locale.ROOT, " | %.3f", v / a));
        }
        rows.add(row.append(" |").toString());
    }

    private static double median(List<Run> runs, ToDoubleFunction<Run> f) {
        double[] v = runs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }
}
