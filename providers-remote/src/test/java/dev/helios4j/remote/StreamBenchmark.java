package dev.helios4j.remote;

import dev.helios4j.ChatRequest;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A runnable benchmark, not a test (surefire does not pick it up): streams one 100,000-chunk SSE
 * answer from a loopback server in a separate JVM through a raw JDK HttpClient read (bytes only)
 * and through helios4j, and prints CPU and allocation per chunk, peak heap, heap retained, wall
 * time, and the time to the first token against the raw first byte.
 *
 * <p>Run: {@code mvn -o -q -pl providers-remote -am test -Pbench} (the profile points surefire here).
 * CPU is summed over the client JVM's Java threads, so JIT compiler and GC threads are left out.
 */
public final class StreamBenchmark { // public: the server JVM starts its main
    private static final int CHUNKS = 100_000;
    private static final int WARMUP = 5;
    private static final int ROUNDS = 5;

    @org.junit.jupiter.api.Test
    void streamHundredThousandChunks() throws Exception {
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("server")) {
            serve();
            return;
        }
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StreamBenchmark.class.getName(), "server")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            run("http://127.0.0.1:" + port);
        } finally {
            server.destroy();
        }
    }

    /** The server JVM: the whole stream is built once; "/short" paths get a three-chunk answer. */
    private static void serve() throws Exception {
        LoopbackServer.Handler big = VolumeTest.stream(CHUNKS, "x");
        LoopbackServer.Handler small = VolumeTest.stream(3, "x");
        LoopbackServer server = new LoopbackServer((request, exchange) ->
                (request.path().startsWith("/short") ? small : big).handle(request, exchange));
        System.out.println(URI.create(server.baseUrl()).getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private interface Client {
        /** @return the time from the call to the first byte (raw) or first token (helios4j), in ns */
        long stream(String base) throws Exception;
    }

    private static void run(String base) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        byte[] body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}"
                .getBytes(StandardCharsets.UTF_8);
        LlmClient helios = Llm.open("openai:m", Transcripts.NO_CONFIG.with("openai.base-url", base + "/v1"));
        LlmClient heliosShort = Llm.open("openai:m", Transcripts.NO_CONFIG.with("openai.base-url", base + "/short/v1"));
        Map<String, Client> clients = new LinkedHashMap<>();
        clients.put("raw JDK HttpClient, bytes only", b -> {
            long start = System.nanoTime();
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(b + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] buffer = new byte[16_384];
            long first = 0;
            try (InputStream in = r.body()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (first == 0 && n > 0) {
                        first = System.nanoTime() - start;
                    }
                }
            }
            return first;
        });
        clients.put("helios4j", b -> {
            LlmClient c = b.endsWith("/short") ? heliosShort : helios;
            long start = System.nanoTime();
            AtomicLong first = new AtomicLong();
            c.stream(ChatRequest.of("Hi"), piece -> {
                if (first.get() == 0) {
                    first.set(System.nanoTime() - start);
                }
            });
            return first.get();
        });

        System.out.printf(Locale.ROOT, "%d chunks, %d rounds after %d warm-up rounds; Java %s%n%n", CHUNKS, ROUNDS, WARMUP,
                System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-32s %12s %14s %12s %14s %10s %14s%n", "client", "CPU us/chunk",
                "bytes/chunk", "peak heap MB", "retained KB", "wall ms", "first piece us");
        double baseCpu = 0;
        for (Map.Entry<String, Client> e : clients.entrySet()) {
            Client client = e.getValue();
            for (int i = 0; i < WARMUP; i++) {
                client.stream(base);
            }
            long[] ttft = new long[200];
            for (int i = 0; i < ttft.length; i++) {
                ttft[i] = client.stream(base + "/short");
            }
            Arrays.sort(ttft);
            System.gc();
            long heapBefore = usedHeap();
            resetPeaks();
            long cpu = javaThreadsCpu();
            long alloc = allocated();
            long wall = System.nanoTime();
            for (int i = 0; i < ROUNDS; i++) {
                client.stream(base);
            }
            wall = System.nanoTime() - wall;
            cpu = javaThreadsCpu() - cpu;
            alloc = allocated() - alloc;
            long peak = peakHeap();
            System.gc();
            long retained = usedHeap() - heapBefore;
            double cpuPerChunk = cpu / 1e3 / ROUNDS / CHUNKS;
            baseCpu = baseCpu == 0 ? cpuPerChunk : baseCpu;
            System.out.printf(Locale.ROOT, "%-32s %12.2f %14.0f %12.1f %14.1f %10.0f %14.0f%n", e.getKey(), cpuPerChunk,
                    (double) alloc / ROUNDS / CHUNKS, peak / 1e6, retained / 1e3, wall / 1e6 / ROUNDS,
                    ttft[ttft.length / 2] / 1e3);
        }
        helios.close();
        heliosShort.close();
    }

    private static long javaThreadsCpu() {
        var threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : threads.getAllThreadIds()) {
            long t = threads.getThreadCpuTime(id);
            sum += Math.max(0, t);
        }
        return sum;
    }

    private static long allocated() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
