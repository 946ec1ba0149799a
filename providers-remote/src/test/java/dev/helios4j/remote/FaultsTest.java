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

    @Test
    void slowFirstByteFailsWithTheFirstByteTimeout() throws Exception {
        LoopbackServer.Handler slow = (request, exchange) -> {
            Thread.sleep(3_000);
            exchange.startStream(200, "text/event-stream");
        };
        try (LoopbackServer server = new LoopbackServer(slow);
             LlmClient client = Transcripts.client(server, "openai.timeout.first-byte", "200ms")) {
            long start = System.nanoTime();
            LlmTimeoutException e = assertThrows(LlmTimeoutException.class, () -> client.chat("Hi"));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "the limit was not honoured");
            assertTrue(e.getMessage().contains("openai.timeout.first-byte"), e.getMessage());
            assertEquals(1, server.connections.get(), "a timeout is not retried");
        }
    }

    @Test
    void stallMidStreamFailsWithTheIdleTimeoutAndKeepsThePartialText() throws Exception {
        LoopbackServer.Handler stall = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Hello"));
            exchange.send(content(" world"));
            exchange.send(": keep-alive comments do not count as progress... but they are bytes\n\n");
            Thread.sleep(3_000);
        };
        try (LoopbackServer server = new LoopbackServer(stall);
             LlmClient client = Transcripts.client(server, "openai.timeout.idle", "300ms")) {
            List<String> pieces = new ArrayList<>();
            long start = System.nanoTime();
            LlmTimeoutException e = assertThrows(LlmTimeoutException.class,
                    () -> client.stream(ChatRequest.of("Hi"), pieces::add));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "the idle limit was not honoured");
            assertEquals("Hello world", e.partialText());
            assertEquals(List.of("Hello", " world"), pieces);
            assertTrue(e.getMessage().contains("openai.timeout.idle"), e.getMessage());
        }
    }

    @Test
    void totalTimeoutEndsAStreamThatKeepsTrickling() throws Exception {
        LoopbackServer.Handler trickle = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            for (int i = 0; i < 100; i++) {
                exchange.send(content("x"));
                Thread.sleep(50);
            }
        };
        try (LoopbackServer server = new LoopbackServer(trickle);
             LlmClient client = Transcripts.client(server, "openai.timeout.total", "400ms")) {
            LlmTimeoutException e = assertThrows(LlmTimeoutException.class, () -> client.chat("Hi"));
            assertTrue(e.getMessage().contains("openai.timeout.total"), e.getMessage());
            assertFalse(e.partialText().isEmpty());
        }
    }

    @Test
    void connectionResetMidStreamFailsWithThePartialText() throws Exception {
        LoopbackServer.Handler reset = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Half"));
            exchange.send(content(" way"));
            Thread.sleep(100);
            exchange.reset();
        };
        try (LoopbackServer server = new LoopbackServer(reset); LlmClient client = Transcripts.client(server)) {
            ServerException e = assertThrows(ServerException.class, () -> client.chat("Hi"));
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
            exchange.send(content("Over"));
            exchange.send("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            Thread.sleep(3_000);
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
        CountDownLatch stalled = new CountDownLatch(1);
        AtomicBoolean clientGone = new AtomicBoolean();
        CountDownLatch serverDone = new CountDownLatch(1);
        LoopbackServer.Handler stall = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send(content("Before"));
            stalled.countDown();
            clientGone.set(exchange.awaitClientGone(5_000));
            serverDone.countDown();
        };
        try (LoopbackServer server = new LoopbackServer(stall); LlmClient client = Transcripts.client(server)) {
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            AtomicBoolean flagSet = new AtomicBoolean();
            Thread caller = new Thread(() -> {
                try {
                    client.chat("Hi");
                } catch (Throwable t) {
                    flagSet.set(Thread.currentThread().isInterrupted());
                    outcome.set(t);
                }
            });
            caller.start();
            assertTrue(stalled.await(5, TimeUnit.SECONDS));
            Thread.sleep(50); // let the caller block in its read
            long start = System.nanoTime();
            caller.interrupt();
            caller.join(2_000);
            assertFalse(caller.isAlive(), "the call did not stop");
            assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(500), "the cancel was not prompt");
            GenerationCancelledException e = assertInstanceOf(GenerationCancelledException.class, outcome.get());
            assertEquals("Before", e.partialText());
            assertTrue(flagSet.get(), "the interrupt flag is set again");
            assertTrue(serverDone.await(5, TimeUnit.SECONDS));
            assertTrue(clientGone.get(), "the connection was not closed on cancel");
        }
    }

    @Test
    void interruptWhileWaitingForHeadersOrBackoffCancelsAtOnce() throws Exception {
        for (LoopbackServer.Handler h : List.<LoopbackServer.Handler>of(
                (request, exchange) -> Thread.sleep(5_000),
                (request, exchange) -> exchange.respond(503, "text/plain", "busy", "Retry-After: 30"))) {
            try (LoopbackServer server = new LoopbackServer(h); LlmClient client = Transcripts.client(server)) {
                AtomicReference<Throwable> outcome = new AtomicReference<>();
                Thread caller = new Thread(() -> {
                    try {
                        client.chat("Hi");
                    } catch (Throwable t) {
                        outcome.set(t);
                    }
                });
                caller.start();
                assertTrue(server.requests.poll(5, TimeUnit.SECONDS) != null);
                Thread.sleep(100);
                caller.interrupt();
                caller.join(1_000);
                assertFalse(caller.isAlive(), "the call did not stop");
                assertInstanceOf(GenerationCancelledException.class, outcome.get());
            }
        }
    }
}
