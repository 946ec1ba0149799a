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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A runnable benchmark, not a test (surefire does not pick it up): streams one 100,000-chunk SSE
 * answer from a loopback server in a separate JVM through a raw JDK HttpClient read (bytes only),
 * helios4j, LangChain4j's {@code OpenAiStreamingChatModel} and the official openai-java client, and
 * prints CPU and allocation per chunk, peak heap, heap retained, wall time, the ratios of CPU and
 * wall time to helios4j, and the time to the first token against the raw first byte.
 *
 * <p>Run: {@code mvn -q -pl providers-remote -am test -Pbench} (the profile points surefire here and
 * adds the two other clients as test dependencies; add {@code -o} once they are cached). CPU is
 * summed over the client JVM's Java threads, so JIT compiler and GC threads are left out.
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
        OtherClients.Streamer langchain = OtherClients.langChain4j(base + "/v1");
        OtherClients.Streamer langchainShort = OtherClients.langChain4j(base + "/short/v1");
        clients.put("LangChain4j 1.19.0", b -> (b.endsWith("/short") ? langchainShort : langchain).stream(CHUNKS));
        OtherClients.Streamer openai = OtherClients.openAiJava(base + "/v1");
        OtherClients.Streamer openaiShort = OtherClients.openAiJava(base + "/short/v1");
        clients.put("openai-java 4.8.0", b -> (b.endsWith("/short") ? openaiShort : openai).stream(CHUNKS));

        System.out.printf(Locale.ROOT, "%d chunks, %d rounds after %d warm-up rounds; Java %s%n%n", CHUNKS, ROUNDS, WARMUP,
                System.getProperty("java.version"));
        List<Result> results = new ArrayList<>();
        String ended = "";
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
            ThreadTally tally = new ThreadTally();
            long wall = System.nanoTime();
            for (int i = 0; i < ROUNDS; i++) {
                client.stream(base);
            }
            wall = System.nanoTime() - wall;
            tally.stop();
            long cpu = tally.cpu;
            long alloc = tally.allocated;
            ended += tally.ended > 0 ? e.getKey() + ": " + tally.ended + " threads ended mid-run; " : "";
            long peak = peakHeap();
            System.gc();
            long retained = usedHeap() - heapBefore;
            results.add(new Result(e.getKey(), cpu / 1e3 / ROUNDS / CHUNKS, (double) alloc / ROUNDS / CHUNKS, peak / 1e6,
                    retained / 1e3, wall / 1e6 / ROUNDS, ttft[ttft.length / 2] / 1e3));
        }
        Result raw = results.get(0);
        Result reference = results.get(1);
        System.out.printf(Locale.ROOT, "%-32s %12s %12s %14s %12s %12s %10s %10s %14s %16s%n", "client", "CPU us/chunk",
                "CPU/helios", "bytes/chunk", "peak heap MB", "retained KB", "wall ms", "wall/helios",
                "first piece us", "over raw read us");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-32s %12.2f %12.2f %14.0f %12.1f %12.1f %10.0f %10.2f %14.0f %16.0f%n",
                    r.name, r.cpuPerChunk, r.cpuPerChunk / reference.cpuPerChunk, r.bytesPerChunk, r.peakMb,
                    r.retainedKb, r.wallMs, r.wallMs / reference.wallMs, r.firstUs, r.firstUs - raw.firstUs);
        }
        System.out.printf(Locale.ROOT, "%nCPU and allocation include threads that ended inside the window (%s)%n",
                ended.isEmpty() ? "none did" : ended);
        helios.close();
        heliosShort.close();
        openai.close();
        openaiShort.close();
    }

    private record Result(String name, double cpuPerChunk, double bytesPerChunk, double peakMb, double retainedKb,
            double wallMs, double firstUs) {
    }

    /**
     * CPU time and allocation of the client JVM's Java threads over a window, counting threads that start
     * or end inside it: a pool worker retiring mid-run would otherwise take its work out of a
     * before/after sum (LangChain4j parses on such workers). A sampler thread, itself left out, reads
     * every live thread about once a millisecond, so at most a millisecond of a dying thread is lost.
     */
    private static final class ThreadTally {
        private final com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        private final Map<Long, long[]> atStart = new HashMap<>();
        private final Map<Long, long[]> latest = new HashMap<>();
        private final Thread sampler;
        private volatile boolean running = true;
        long cpu;
        long allocated;
        int ended;

        ThreadTally() {
            sampler = new Thread(() -> {
                while (running) {
                    sample(latest);
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench-thread-sampler");
            sampler.setDaemon(true);
            sample(atStart);
            sampler.start();
        }

        private void sample(Map<Long, long[]> into) {
            long[] ids = mx.getAllThreadIds();
            long[] cpus = mx.getThreadCpuTime(ids);
            long[] bytes = mx.getThreadAllocatedBytes(ids);
            for (int i = 0; i < ids.length; i++) {
                if (ids[i] != sampler.getId() && cpus[i] >= 0 && bytes[i] >= 0) {
                    into.put(ids[i], new long[] {cpus[i], bytes[i]});
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            sampler.join();
            Set<Long> alive = new HashSet<>();
            for (long id : mx.getAllThreadIds()) {
                alive.add(id);
            }
            sample(latest);
            for (Map.Entry<Long, long[]> e : latest.entrySet()) {
                long[] from = atStart.getOrDefault(e.getKey(), new long[2]);
                cpu += e.getValue()[0] - from[0];
                allocated += e.getValue()[1] - from[1];
                ended += alive.contains(e.getKey()) ? 0 : 1;
            }
        }
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
