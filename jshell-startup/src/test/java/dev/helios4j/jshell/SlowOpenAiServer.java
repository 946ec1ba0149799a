package dev.helios4j.jshell;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-format chat server on loopback that answers {@link #STORY} with {@link #STORY_START}
 * and then holds the stream open, as a slow model mid-answer does, until the client goes away;
 * {@link #SLOW_START} gets no headers until the test releases it (a server still loading its
 * model); any other question gets {@link #ANSWER} at once. The chunks are those OpenAI's stream sends
 * (role chunk, content deltas, finish reason, usage chunk, {@code [DONE]}).
 */
final class SlowOpenAiServer implements AutoCloseable {
    static final String STORY = "Tell me a long story";
    static final List<String> STORY_START = List.of("Once", " upon", " a", " time");
    static final String SLOW_START = "Think hard first";
    /** Answered with " and" every 2 ms until the client goes away. */
    static final String ENDLESS = "Never stop talking";
    static final String ANSWER = "Hi there, from the loopback server.";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "slow-openai-server");
        t.setDaemon(true);
        return t;
    });
    /**
     * Counted down once the story's start was written and flushed, a slow start's request read, or
     * the first piece of an endless answer sent.
     */
    volatile CountDownLatch holding = new CountDownLatch(1);
    /** Counted down when a write to a held or endless stream failed: the client closed its connection. */
    volatile CountDownLatch clientClosed = new CountDownLatch(1);
    private volatile CountDownLatch released = new CountDownLatch(1);

    SlowOpenAiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void chat(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        boolean slowStart = body.contains(SLOW_START);
        if (slowStart) {
            holding.countDown();
            if (!awaitRelease()) {
                exchange.close();
                return;
            }
        }
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            send(out, "{\"role\":\"assistant\",\"content\":\"\"}", null);
            if (slowStart) {
                probeUntilTheClientLeaves(out);
                return;
            }
            if (body.contains(ENDLESS)) {
                talkUntilTheClientLeaves(out);
                return;
            }
            if (body.contains(STORY)) {
                for (String piece : STORY_START) {
                    send(out, "{\"content\":\"" + piece + "\"}", null);
                }
                holding.countDown();
                if (awaitRelease()) {
                    probeUntilTheClientLeaves(out);
                }
                return;
            }
            send(out, "{\"content\":\"" + ANSWER + "\"}", null);
            send(out, "{}", "\"stop\"");
            write(out, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,"
                    + "\"model\":\"slow\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":8,"
                    + "\"total_tokens\":17}}\n\n");
            write(out, "data: [DONE]\n\n");
        } finally {
            exchange.close();
        }
    }

    private boolean awaitRelease() {
        try {
            return released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Writes SSE comments (which a client ignores) until one fails: the client closed the
     * connection. Gives up after 20 s, leaving {@link #clientClosed} up.
     */
    private void probeUntilTheClientLeaves(OutputStream out) {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                write(out, ": still thinking\n\n");
                Thread.sleep(50); // pacing the probe writes, not ordering threads
            }
        } catch (IOException e) {
            clientClosed.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void talkUntilTheClientLeaves(OutputStream out) {
        try {
            send(out, "{\"content\":\" and\"}", null);
            holding.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                send(out, "{\"content\":\" and\"}", null);
                Thread.sleep(2); // a model's pace, so the stop finds tokens in flight
            }
        } catch (IOException e) {
            clientClosed.countDown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Fresh latches, for another stop in the same session. */
    void nextRound() {
        released.countDown();
        holding = new CountDownLatch(1);
        clientClosed = new CountDownLatch(1);
        released = new CountDownLatch(1);
    }

    /** Lets a held request go on, probing whether the client is still there. */
    void release() {
        released.countDown();
    }

    private static void send(OutputStream out, String delta, String finishReason) throws IOException {
        write(out, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,"
                + "\"model\":\"slow\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,"
                + "\"finish_reason\":" + finishReason + "}],\"usage\":null}\n\n");
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
