package dev.helios4j.remote;

import com.sun.net.httpserver.HttpServer;
import dev.helios4j.Batch;
import dev.helios4j.BatchSummary;
import dev.helios4j.LlmClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A runnable benchmark of {@link Batch} against OpenAI-format servers in another JVM (so the
 * client's CPU is measured alone), not a test: {@code providers-remote/bench/run.sh}. The servers
 * are the JDK's HTTP server (keep-alive, chunked event streams) with a fixed number of worker
 * threads, which is their capacity, and a fixed latency per call, as a real server's generation
 * time. Prints Markdown tables: throughput against concurrency, client CPU per row, heap over
 * 100,000 rows, and two servers with one killed mid-run.
 */
public final class BatchBenchmark { // public: the server JVM starts its main
    private static final Pattern PROMPT = Pattern.compile("\"role\":\"user\",\"content\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private BatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("server")) {
            serve(Integer.parseInt(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
            return;
        }
        boolean quick = Boolean.getBoolean("bench.quick");
        PrintStream out = System.out;
        out.println("# Batch benchmark (" + System.getProperty("bench.command", "BatchBenchmark") + ")");
        out.println();
        out.println("Load average at start: " + load() + "; " + Runtime.getRuntime().availableProcessors() + " CPUs.");
        String only = System.getProperty("bench.only", "");
        if (only.isEmpty() || only.equals("throughput")) {
            throughput(out, quick);
        }
        if (only.isEmpty() || only.equals("memory")) {
            cpuAndMemory(out, quick);
        }
        if (only.isEmpty() || only.equals("servers")) {
            twoServers(out, quick);
        }
        out.println();
        out.println("Load average at end: " + load() + ".");
        System.exit(0);
    }

    // ---- the client side

    private static void throughput(PrintStream out, boolean quick) throws Exception {
        int capacity = 16;
        long latency = 50;
        int rows = quick ? 200 : 800;
        try (Servers s = Servers.start(1, latency, capacity)) {
            out.println();
            out.println("## Throughput against concurrency (" + rows + " rows, " + latency + " ms per call, server capacity "
                    + capacity + " calls)");
            out.println();
            out.println("| concurrency | rows/s | ideal rows/s | ratio | wall s |");
            out.println("|---:|---:|---:|---:|---:|");
            try (LlmClient llm = client(s.urls)) {
                run(llm, 64, 2); // warm-up: JIT, connections
                for (int c : new int[] {1, 2, 4, 8, 16, 32}) {
                    BatchSummary r = run(llm, Math.min(rows, c * 50), c);
                    double ideal = Math.min(c, capacity) * 1000.0 / latency;
                    out.printf(Locale.ROOT, "| %d | %.0f | %.0f | %.2f | %.1f |%n", c, r.rowsPerSecond(), ideal,
                            r.rowsPerSecond() / ideal, r.wall().toNanos() / 1e9);
                }
            }
        }
    }

    private static void cpuAndMemory(PrintStream out, boolean quick) throws Exception {
        int rows = quick ? 20_000 : 100_000;
        try (Servers s = Servers.start(1, 0, 8)) {
            Path journal = Files.createTempFile("bench-batch", ".jsonl");
            Files.delete(journal);
            try (LlmClient llm = client(s.urls)) {
                run(llm, 2000, 8); // warm-up
                List<long[]> heap = new ArrayList<>();
                AtomicLong seen = new AtomicLong();
                long cpu0 = processCpu();
                long gc0 = gcMillis();
                BatchSummary r = Batch.of(IntStream.range(0, rows).mapToObj(i -> "row " + i)).prompt("{text}")
                        .concurrency(8).journal(journal).run(llm, result -> {
                            if (!result.answer().equals("answer to row " + result.index())) {
                                throw new AssertionError("wrong answer for row " + result.index() + ": " + result.answer());
                            }
                            long n = seen.incrementAndGet();
                            if (n % (rows / 10) == 0) {
                                heap.add(new long[] {n, heapAfterGc()});
                            }
                        });
                long cpu = processCpu() - cpu0;
                out.println();
                out.println("## Client CPU and heap over " + rows + " rows (latency 0, concurrency 8, a journal, results to a sink)");
                out.println();
                out.printf(Locale.ROOT, "%s%n%n", r);
                out.printf(Locale.ROOT, "Client process CPU per row: %.0f µs (JIT and GC included; %d ms of GC pauses "
                        + "including the %d explicit GCs of the heap samples); journal %d bytes.%n%n",
                        cpu / 1e3 / rows, gcMillis() - gc0, heap.size(), Files.size(journal));
                out.println("| rows done | heap after GC (MB) |");
                out.println("|---:|---:|");
                for (long[] h : heap) {
                    out.printf(Locale.ROOT, "| %d | %.1f |%n", h[0], h[1] / 1e6);
                }
            } finally {
                Files.deleteIfExists(journal);
            }
        }
    }

    private static void twoServers(PrintStream out, boolean quick) throws Exception {
        int rows = quick ? 1000 : 4000;
        try (Servers s = Servers.start(2, 20, 16)) {
            try (LlmClient llm = client(s.urls)) {
                AtomicLong seen = new AtomicLong();
                AtomicInteger wrong = new AtomicInteger();
                long[] killedAt = {0};
                BatchSummary r = Batch.of(IntStream.range(0, rows).mapToObj(i -> "row " + i).collect(Collectors.toList()))
                        .prompt("{text}").concurrency(16).run(llm, result -> {
                            if (!("answer to row " + result.index()).equals(result.answer())) {
                                wrong.incrementAndGet();
                            }
                            if (seen.incrementAndGet() == rows / 4) {
                                killedAt[0] = System.nanoTime();
                                s.command("kill 1");
                            }
                        });
                String stats = s.command("stats");
                out.println();
                out.println("## Two servers (20 ms per call, capacity 16 each), the second killed after " + rows / 4
                        + " of " + rows + " rows, concurrency 16");
                out.println();
                out.printf(Locale.ROOT, "%s%n%nRows answered with the right answer, in order: %d of %d (%d wrong or "
                        + "missing). Calls per server: %s.%n", r, seen.get() - wrong.get(), rows, wrong.get(), stats);
            }
        }
    }

    private static BatchSummary run(LlmClient llm, int rows, int concurrency) {
        return Batch.of(IntStream.range(0, rows).mapToObj(i -> "row " + i).collect(Collectors.toList()))
                .prompt("{text}").concurrency(concurrency).run(llm, r -> { });
    }

    private static LlmClient client(List<String> urls) {
        return OpenAiClients.builder(Transcripts.NO_CONFIG).baseUrls(urls).open("bench-model");
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(g -> Math.max(0, g.getCollectionTime())).sum();
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip().split(" ", 4)[0];
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** The server JVM, driven by lines on its standard input. */
    private static final class Servers implements AutoCloseable {
        final Process process;
        final List<String> urls = new ArrayList<>();
        final BufferedReader in;
        final PrintStream commands;

        private Servers(Process process) throws IOException {
            this.process = process;
            this.in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        static Servers start(int count, long latency, int capacity) throws IOException {
            // TCP_NODELAY, as real servers set it: else the JDK server's last chunk waits for a delayed ACK
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                    "-Dsun.net.httpserver.nodelay=true",
                    "-cp", System.getProperty("java.class.path"), BatchBenchmark.class.getName(), "server",
                    Integer.toString(count), Long.toString(latency), Integer.toString(capacity))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            Servers s = new Servers(p);
            for (int i = 0; i < count; i++) {
                String line = s.in.readLine();
                if (line == null) {
                    throw new IOException("the server JVM ended before it listened");
                }
                s.urls.add(line);
            }
            return s;
        }

        synchronized String command(String line) {
            commands.println(line);
            try {
                return in.readLine();
            } catch (IOException e) {
                return e.toString();
            }
        }

        @Override
        public void close() {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- the server JVM

    private static void serve(int count, long latency, int capacity) throws Exception {
        List<HttpServer> servers = new ArrayList<>();
        List<AtomicLong> calls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
            ExecutorService workers = Executors.newFixedThreadPool(capacity, r -> {
                Thread t = new Thread(r, "bench-server");
                t.setDaemon(true);
                return t;
            });
            AtomicLong n = new AtomicLong();
            server.setExecutor(workers);
            server.createContext("/", exchange -> {
                try (exchange) {
                    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                    Matcher m = PROMPT.matcher(body);
                    String prompt = m.find() ? m.group(1) : "";
                    n.incrementAndGet();
                    if (latency > 0) {
                        Thread.sleep(latency);
                    }
                    String answer = "answer to " + prompt;
                    String[] words = answer.split(" ");
                    StringBuilder events = new StringBuilder();
                    events.append(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
                    for (int w = 0; w < words.length; w++) {
                        events.append(chunk("{\"content\":\"" + (w == 0 ? "" : " ") + words[w] + "\"}", null));
                    }
                    events.append(chunk("{}", "\"stop\""));
                    events.append("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                            + "\"choices\":[],\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":" + words.length
                            + ",\"total_tokens\":" + (2 + words.length) + "}}\n\n");
                    events.append("data: [DONE]\n\n");
                    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                    exchange.sendResponseHeaders(200, 0);
                    OutputStream o = exchange.getResponseBody();
                    o.write(events.toString().getBytes(StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
            servers.add(server);
            calls.add(n);
            System.out.println("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
        }
        System.out.flush();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = commands.readLine()) != null; ) {
            if (line.startsWith("kill ")) {
                servers.get(Integer.parseInt(line.substring(5))).stop(0);
                System.out.println("killed");
            } else if (line.equals("stats")) {
                System.out.println(calls.stream().map(AtomicLong::toString).collect(Collectors.joining(" and ")));
            }
            System.out.flush();
        }
        System.exit(0);
    }

    private static String chunk(String delta, String finish) {
        return "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":"
                + "[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : finish) + "}]}\n\n";
    }
}
