package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.RateLimitException;
import dev.helios4j.ServerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Servers that are slow, stall, break, truncate, fail or flood: each ends the way it should. */
class FaultsTest {

    static String content(String piece) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece + "\"},\"finish_reason\":null}]}\n\n";
    }

    static final String FINISH = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n";

    /**
     * How long a stalling server waits for the client to hang up. Far beyond every limit under
     * test, so a limit that is not honoured shows as a slow failure, never as a pass.
     */
    static final long STALL_MILLIS = 60_000;
    /** "At once": generous for a loaded 2-core machine, far below the limit that would end the call otherwise. */
    static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(15);

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(30, TimeUnit.SECONDS), "timed out waiting until " + what);
    }

    @Test
    void slowFirstByteFailsWithTheFirstByteTimeout() throws Exception {
        LoopbackServer.Handler slow = (request, exchange) -> {
            exchange.awaitClientGone(STALL_MILLIS);
            exchange.startStream(200, "text/event-stream");
        };
        try (LoopbackServer server = new LoopbackServer(slow);
             LlmClient client = Transcripts.client(server, "openai.timeout.first-byte", "200ms")) {
            long start = System.nanoTime();
            LlmTimeoutException e = assertThrows(LlmTimeoutException.class, () -> client.chat("Hi"));
            assertTrue(System.nanoTime() - start < PROMPT_NANOS, "the limit was not honoured");
            assertTrue(e.getMessage().contains("openai.timeout.first-byte"), e.getMessage());
            assertEquals(1, server.connections.get(), "a timeout is not retried");
        }
    }

    @Test
    void firstByteLimitEndsAtTheFirstByteNotAtTheEndOfALongStream() throws Exception {
        LoopbackServer.Handler longStream = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            for (int i = 0; i < 30; i++) {
                exchange.send(content("x"));
                Thread.sleep(50); // pacing: the stream outlasts the first-byte limit several times
            }
            exchange.send(FINISH);
        };
        try (LoopbackServer server = new LoopbackServer(longStream);
             LlmClient client = Transcripts.client(server, "openai.timeout.first-byte", "300ms")) {
            assertEquals("x".repeat(30), client.chat("Hi"));
        }
    }

    @Test
    void stallMidStreamFailsWithTheIdleTimeoutAndKeepsThePartialText() throws Exception {
        LoopbackServer.Handler stall = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            // one write, so a busy machine cannot open an idle gap between the pieces
            exchange.send(content("Hello") + content(" world")
                    + ": keep-alive comments do not count as progress... but they are bytes\n\n");
            exchange.awaitClientGone(STALL_MILLIS);
        };
        try (LoopbackServer server = new LoopbackServer(stall);
             LlmClient client = Transcripts.client(server, "openai.timeout.idle", "300ms")) {
            List<String> pieces = new ArrayList<>();
            long start = System.nanoTime();
            LlmTimeoutException e = assertThrows(LlmTimeoutException.class,
                    () -> client.stream(ChatRequest.of("Hi"), pieces::add));
            assertTrue(System.nanoTime() - start < PROMPT_NANOS, "the idle limit was not honoured");
            assertEquals("Hello world", e.partialText());
            assertEquals(List.of("Hello", " world"), pieces);
            assertTrue(e.getMessage().contains("openai.timeout.idle"), e.getMessage());
        }
    }

    @Test
    void totalTimeoutEndsAStreamThatKeepsTrickling() throws Exception {
        LoopbackServer.Handler trickle = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
            while (System.nanoTime() < until) { // until the client hangs up and a write fails
                exchange.send(content("x"));
                Thread.sleep(50); // pacing: never silent for as long as the idle limit
            }
        };
        try (LoopbackServer server = new LoopbackServer(trickle);
             LlmClient client = Transcripts.client(server, "openai.timeout.total", "2s")) {
            LlmTimeoutException e = assertThrows(LlmTimeoutException.class, () -> client.chat("Hi"));
            assertTrue(e.getMessage().contains("openai.timeout.total"), e.getMessage());
            assertFalse(e.partialText().isEmpty());
        }
    }

    @Test
    void connectionResetMidStreamFailsWithThePartialText() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        LoopbackServer.Handler reset = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Half"));
            exchange.send(content(" way"));
            // a reset can discard what the client has not read yet: reset only once it has the text
            assertTrue(received.await(30, TimeUnit.SECONDS), "the client never showed the text");
            exchange.reset();
        };
        try (LoopbackServer server = new LoopbackServer(reset); LlmClient client = Transcripts.client(server)) {
            ServerException e = assertThrows(ServerException.class, () -> client.stream(ChatRequest.of("Hi"), piece -> {
                if (piece.equals(" way")) {
                    received.countDown();
                }
            }));
            assertEquals("Half way", e.partialText());
            assertEquals(1, server.connections.get(), "a broken stream is never retried: text would repeat");
        }
    }

    @Test
    void truncatedJsonChunkFailsWithThePartialText() throws Exception {
        LoopbackServer.Handler truncated = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Kept"));
            exchange.send("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" lo\n\n");
            exchange.send(FINISH);
        };
        try (LoopbackServer server = new LoopbackServer(truncated); LlmClient client = Transcripts.client(server)) {
            ServerException e = assertThrows(ServerException.class, () -> client.chat("Hi"));
            assertEquals("Kept", e.partialText());
            assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        }
    }

    @Test
    void bodyCutBeforeTheAnswerEndedFails() throws Exception {
        LoopbackServer.Handler cut = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Cut"));
            exchange.send("data: {\"choices\":[{\"index\":0,\"del");
            exchange.cut();
        };
        try (LoopbackServer server = new LoopbackServer(cut); LlmClient client = Transcripts.client(server)) {
            ServerException e = assertThrows(ServerException.class, () -> client.chat("Hi"));
            assertEquals("Cut", e.partialText());
        }
    }

    @Test
    void streamEndingWithAFinishReasonButNoDoneIsComplete() throws Exception {
        LoopbackServer.Handler noDone = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Done"));
            exchange.send("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n");
        };
        try (LoopbackServer server = new LoopbackServer(noDone); LlmClient client = Transcripts.client(server)) {
            ChatResponse r = client.chat(ChatRequest.of("Hi"));
            assertEquals("Done", r.text());
            assertEquals(dev.helios4j.FinishReason.LENGTH, r.finishReason());
        }
    }

    @Test
    void finishReasonThenSilenceWithoutDoneIsComplete() throws Exception {
        LoopbackServer.Handler silent = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Over") + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            exchange.awaitClientGone(STALL_MILLIS);
        };
        try (LoopbackServer server = new LoopbackServer(silent);
             LlmClient client = Transcripts.client(server, "openai.timeout.idle", "200ms")) {
            assertEquals("Over", client.chat("Hi"));
        }
    }

    @Test
    void rateLimitWithAnHourLongRetryAfterFailsAtOnce() throws Exception {
        LoopbackServer.Handler limited = (request, exchange) -> exchange.respond(429, "application/json",
                "{\"error\":{\"message\":\"quota\"}}", "Retry-After: 3600");
        try (LoopbackServer server = new LoopbackServer(limited); LlmClient client = Transcripts.client(server)) {
            RateLimitException e = assertThrows(RateLimitException.class, () -> client.chat("Hi"));
            assertEquals(Duration.ofHours(1), e.retryAfter().orElseThrow());
            assertEquals(1, server.connections.get());
        }
    }

    @Test
    void badGatewayWithAnHtmlBodyGivesAReadableServerError() throws Exception {
        LoopbackServer.Handler html = (request, exchange) -> exchange.respond(502, "text/html",
                "<html>\r\n<head><title>502 Bad Gateway</title><style>body{color:red}</style></head>\r\n<body>\r\n"
                        + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");
        try (LoopbackServer server = new LoopbackServer(html);
             LlmClient client = Transcripts.client(server, "openai.retries", "1")) {
            ServerException e = assertThrows(ServerException.class, () -> client.chat("Hi"));
            assertEquals(502, e.statusCode());
            assertEquals("502 Bad Gateway 502 Bad Gateway nginx", e.bodyExcerpt());
            assertFalse(e.getMessage().contains("<"), e.getMessage());
            assertEquals(2, server.connections.get(), "one retry, as configured");
        }
    }

    @Test
    void serverErrorThenSuccessIsRetriedTransparently() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoopbackServer.Handler flaky = (request, exchange) -> {
            if (calls.incrementAndGet() < 3) {
                exchange.respond(503, "application/json", "{\"error\":{\"message\":\"overloaded\"}}");
                return;
            }
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Third time lucky"));
            exchange.send(FINISH);
        };
        try (LoopbackServer server = new LoopbackServer(flaky); LlmClient client = Transcripts.client(server)) {
            assertEquals("Third time lucky", client.chat("Hi"));
            assertEquals(3, calls.get(), "the default is two retries");
        }
    }

    @Test
    void rateLimitWithRetryAfterIsHonouredThenSucceeds() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoopbackServer.Handler limited = (request, exchange) -> {
            if (calls.incrementAndGet() == 1) {
                exchange.respond(429, "application/json",
                        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}", "Retry-After: 1");
                return;
            }
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("ok"));
            exchange.send(FINISH);
        };
        try (LoopbackServer server = new LoopbackServer(limited); LlmClient client = Transcripts.client(server)) {
            long start = System.nanoTime();
            assertEquals("ok", client.chat("Hi"));
            long waited = System.nanoTime() - start;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(950), "Retry-After: 1 was not honoured: " + waited);
            assertEquals(2, calls.get());
        }
    }

    @Test
    void rateLimitAfterTheLastRetryCarriesRetryAfter() throws Exception {
        LoopbackServer.Handler limited = (request, exchange) -> exchange.respond(429, "application/json",
                "{\"error\":{\"message\":\"Rate limit reached\"}}", "retry-after-ms: 20", "Retry-After: 1");
        try (LoopbackServer server = new LoopbackServer(limited); LlmClient client = Transcripts.client(server)) {
            RateLimitException e = assertThrows(RateLimitException.class, () -> client.chat("Hi"));
            assertEquals(Duration.ofMillis(20), e.retryAfter().orElseThrow(), "OpenAI's retry-after-ms is preferred");
            assertTrue(e.getMessage().contains("Rate limit reached"), e.getMessage());
            assertEquals(3, server.connections.get());
        }
    }

    @Test
    void connectionRefusedIsRetriedThenReported() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (LlmClient client = dev.helios4j.Llm.open("openai:m", Transcripts.NO_CONFIG
                .with("openai.base-url", "http://127.0.0.1:" + port + "/v1")
                .with("openai.retry.initial-backoff", "10ms"))) {
            LlmException e = assertThrows(LlmException.class, () -> client.chat("Hi"));
            assertTrue(e.getMessage().contains("Could not reach http://127.0.0.1:" + port + "/v1"), e.getMessage());
        }
    }

    @Test
    void interruptWhileStalledCancelsAtOnceAndReleasesTheConnection() throws Exception {
        AtomicBoolean clientGone = new AtomicBoolean();
        CountDownLatch serverDone = new CountDownLatch(1);
        LoopbackServer.Handler stall = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Before"));
            clientGone.set(exchange.awaitClientGone(STALL_MILLIS));
            serverDone.countDown();
        };
        // An idle limit far above the bound: a cancel that waited for it would fail the bound.
        try (LoopbackServer server = new LoopbackServer(stall);
             LlmClient client = Transcripts.client(server, "openai.timeout.idle", "2m")) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicBoolean flagSet = new AtomicBoolean();
            CountDownLatch shown = new CountDownLatch(1);
            Thread caller = new Thread(() -> {
                try {
                    client.stream(ChatRequest.of("Hi"), piece -> shown.countDown());
                } catch (Throwable t) {
                    flagSet.set(Thread.currentThread().isInterrupted());
                    outcome.set(t);
                }
            });
            caller.start();
            // Once the piece is shown the caller has nothing left to read: it is in, or on its way to, the wait.
            await(shown, "the caller showed the first piece");
            long start = System.nanoTime();
            caller.interrupt();
            caller.join(TimeUnit.NANOSECONDS.toMillis(PROMPT_NANOS) * 2);
            assertFalse(caller.isAlive(), "the call did not stop");
            assertTrue(System.nanoTime() - start < PROMPT_NANOS, "the cancel waited instead of acting at once");
            GenerationCancelledException e = assertInstanceOf(GenerationCancelledException.class, outcome.get());
            assertEquals("Before", e.partialText());
            assertTrue(flagSet.get(), "the interrupt flag is set again");
            await(serverDone, "the server saw the connection end");
            assertTrue(clientGone.get(), "the connection was not closed on cancel");
        }
    }

    @Test
    void interruptWhileWaitingForHeadersCancelsAtOnce() throws Exception {
        CountDownLatch hungUp = new CountDownLatch(1);
        LoopbackServer.Handler noHeaders = (request, exchange) -> {
            if (exchange.awaitClientGone(STALL_MILLIS)) {
                hungUp.countDown();
            }
        };
        try (LoopbackServer server = new LoopbackServer(noHeaders); LlmClient client = Transcripts.client(server)) {
            // the first-byte limit (2 min by default) is far away: only the interrupt can end the wait
            interruptAndExpectACancel(client, () -> assertTrue(server.requests.poll(30, TimeUnit.SECONDS) != null,
                    "no request arrived"));
            await(hungUp, "the client closed the connection it cancelled");
        }
    }

    @Test
    void interruptDuringTheBackoffCancelsAtOnce() throws Exception {
        LoopbackServer.Handler busy = (request, exchange) -> exchange.respond(503, "text/plain", "busy", "Retry-After: 30");
        try (LogCapture log = new LogCapture(ChatCall.class, "Retrying"); // logged just before the wait begins
             LoopbackServer server = new LoopbackServer(busy); LlmClient client = Transcripts.client(server)) {
            interruptAndExpectACancel(client, () -> await(log.seen, "the client logged its retry"));
            assertEquals(1, server.connections.get(), "the retry after 30 s was never made");
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** Calls on another thread, waits for {@code ready}, interrupts, and expects a prompt cancel. */
    private static void interruptAndExpectACancel(LlmClient client, Step ready) throws Exception {
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                client.chat("Hi");
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        caller.start();
        try {
            ready.run();
            long start = System.nanoTime();
            caller.interrupt();
            caller.join(TimeUnit.NANOSECONDS.toMillis(PROMPT_NANOS) * 2);
            assertFalse(caller.isAlive(), "the call did not stop");
            assertTrue(System.nanoTime() - start < PROMPT_NANOS, "the cancel waited instead of acting at once");
            assertInstanceOf(GenerationCancelledException.class, outcome.get());
        } finally {
            caller.interrupt();
        }
    }
}
