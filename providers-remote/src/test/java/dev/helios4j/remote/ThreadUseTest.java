package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.ChatRequest;
import dev.helios4j.LlmClient;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * No thread is started per request or per stream: on 2 CPUs the JDK's default async executor
 * starts one per task, which cost a thread for every call. The server here serves from a fixed
 * set of threads, so every thread started during the run is the client's.
 */
class ThreadUseTest {
    private static final int STREAMS = 500;

    @Test
    void threadCountStaysFlatOverFiveHundredStreamsRetriesAndModelLists() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        FakeModel model = new FakeModel(0);
        LoopbackServer.Handler sometimesBusy = (request, exchange) -> {
            if (request.method().equals("POST") && requests.incrementAndGet() % 50 == 0) {
                exchange.respond(503, "application/json", "{\"error\":{\"message\":\"busy\"}}");
                return; // the client retries: a retry must not cost a thread either
            }
            model.handle(request, exchange);
        };
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (LoopbackServer server = new LoopbackServer(sometimesBusy, 2);
             LlmClient client = Transcripts.client(server, "openai.retry.initial-backoff", "1ms")) {
            for (int i = 0; i < 20; i++) { // warm-up: the client's pool and the server's threads start here
                client.chat("Hi");
            }
            long before = threads.getTotalStartedThreadCount();
            AtomicInteger pieces = new AtomicInteger();
            for (int i = 0; i < STREAMS; i++) {
                client.stream(ChatRequest.of("Hi"), piece -> pieces.incrementAndGet());
                if (i % 25 == 0) {
                    assertEquals(List.of(FakeModel.MODEL), client.models());
                }
            }
            long started = threads.getTotalStartedThreadCount() - before;
            assertTrue(pieces.get() >= STREAMS, "every stream streamed: " + pieces.get());
            assertTrue(requests.get() > STREAMS, "some requests were retried: " + requests.get());
            assertTrue(started <= 5, started + " threads were started over " + STREAMS + " streams");
            java.util.Map<String, Integer> perClient = new java.util.HashMap<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("helios4j-openai-")) {
                    perClient.merge(t.getName().substring(0, t.getName().indexOf("-http-")), 1, Integer::sum);
                    assertTrue(t.isDaemon(), t.getName() + " would keep the JVM alive");
                }
            }
            assertTrue(!perClient.isEmpty(), "the client's workers are named");
            int bound = Math.max(2, Runtime.getRuntime().availableProcessors());
            perClient.forEach((name, count) -> assertTrue(count <= bound, name + " has " + count + " workers"));
        }
    }

    @Test
    void closingAClientEndsItsWorkerThreads() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0)::handle, 2)) {
            java.util.Set<String> before = workerNames();
            LlmClient client = Transcripts.client(server);
            client.chat("Hi");
            java.util.Set<String> mine = workerNames();
            mine.removeAll(before);
            assertTrue(!mine.isEmpty(), "the call ran on the client's own workers");
            client.close();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            java.util.Set<String> left = workerNames();
            left.retainAll(mine);
            while (!left.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling the JVM's thread list: nothing signals a pool thread's end
                left = workerNames();
                left.retainAll(mine);
            }
            assertTrue(left.isEmpty(), "still running 10 s after close (idle workers end after 30 s): " + left);
        }
    }

    private static java.util.Set<String> workerNames() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("helios4j-openai-") && t.isAlive()) {
                names.add(t.getName());
            }
        }
        return names;
    }
}
