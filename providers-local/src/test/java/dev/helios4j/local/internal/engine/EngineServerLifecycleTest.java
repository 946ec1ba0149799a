package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.ChatRequest;
import dev.helios4j.LlmClient;
import dev.helios4j.local.internal.gguf.DemoModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The engine process's life: start, health while loading, a client that goes away, and its end. */
class EngineServerLifecycleTest {

    /**
     * Sends a streamed chat request over a plain socket (so the test decides when the client goes
     * away) and reads until the first piece of content; at most 60 s for each read.
     */
    private static boolean streamBegan(Socket socket, String body) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        socket.setSoTimeout(60_000);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String line;
        do {
            line = in.readLine();
        } while (line != null && !line.contains("\"content\":\""));
        return line != null;
    }

    @Test
    void healthSays503WhileLoadingThen200() throws Exception {
        // The model loads in about a second after the socket is bound; the first /health, sent as
        // soon as the ready line is read, lands in that window. A start whose load won that race
        // on a slow machine is retried, so only an engine that is never 503 fails.
        List<Integer> firstStatuses = new ArrayList<>();
        for (int attempt = 0; attempt < 3 && !firstStatuses.contains(503); attempt++) {
            try (EngineServerProcess p = EngineServerProcess.start("-m", EngineServerProcess.demoModel().toString(),
                    "--port", "0")) {
                p.awaitListening();
                HttpClient http = HttpClient.newHttpClient();
                var first = p.health(http);
                firstStatuses.add(first.statusCode());
                if (first.statusCode() == 503) {
                    // The exact body llama-server's HTTP layer sends (its field order, too).
                    assertEquals("{\"error\":{\"message\":\"Loading model\",\"type\":\"unavailable_error\",\"code\":503}}",
                            first.body());
                }
                p.awaitHealthy();
                var ready = p.health(http);
                assertEquals(200, ready.statusCode());
                assertEquals("{\"status\":\"ok\"}", ready.body());
                assertTrue(p.stdout.isEmpty(), "one line on stdout only, but also: " + p.stdout);
            }
        }
        assertTrue(firstStatuses.contains(503), "never 503 while loading: " + firstStatuses);
    }

    @Test
    void aClientThatGoesAwayMidStreamStopsGenerationAndFreesTheSlot() throws Exception {
        // One slot, and room for 250,000 tokens: left running, "Loop" would hold the slot for
        // tens of seconds (the demo model makes ~10,000 tokens/s on an idle machine).
        int limit = 250_000;
        try (EngineServerProcess p = EngineServerProcess.startDemoLike(EngineServerProcess.longContextDemoModel(), "-np", "1", "-c", "262144", "--jinja",
                "--chat-template", EngineServerTest.RAW_TEMPLATE);
             LlmClient client = EngineServerTest.clientOf(p, "unused")) {
            String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + DemoModels.LOOP_PROMPT + "\"}],"
                    + "\"temperature\":0,\"max_tokens\":" + limit + ",\"stream\":true}";
            try (Socket socket = new Socket("127.0.0.1", p.port())) {
                assertTrue(streamBegan(socket, body), "the stream began");
            } // the client goes away, as the parent's client does when its caller is interrupted

            String stopped = p.awaitStderr(l -> l.contains("went away after"), Duration.ofSeconds(60));
            Matcher m = Pattern.compile("went away after (\\d+) pieces").matcher(stopped);
            assertTrue(m.find(), stopped);
            assertTrue(Integer.parseInt(m.group(1)) < limit, "generation stopped early: " + stopped);

            // The one slot is free: the next request is answered at once, not after the first ends.
            long started = System.nanoTime();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> client.chat(
                    ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0).build()).text());
            assertEquals(DemoModels.HELLO_ANSWER, answer.get(60, TimeUnit.SECONDS));
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertTrue(ms < 10_000, "the second request waited " + ms + " ms, as if the slot were still busy");
        }
    }

    @Test
    void endOfStdinEndsTheProcess() throws Exception {
        try (EngineServerProcess p = EngineServerProcess.startDemo()) {
            p.process.getOutputStream().close();
            assertEquals(0, p.awaitExit(Duration.ofSeconds(30)), p.stderrSoFar());
            p.awaitStderr(l -> l.contains("stdin closed"), Duration.ofSeconds(10));
        }
    }

    @Test
    void endOfStdinEndsTheProcessInTheMiddleOfAGeneration() throws Exception {
        try (EngineServerProcess p = EngineServerProcess.startDemoLike(EngineServerProcess.longContextDemoModel(), "-np", "1", "-c", "262144", "--jinja",
                "--chat-template", EngineServerTest.RAW_TEMPLATE);
             Socket socket = new Socket("127.0.0.1", p.port())) {
            String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"" + DemoModels.LOOP_PROMPT + "\"}],"
                    + "\"temperature\":0,\"max_tokens\":250000,\"stream\":true}";
            assertTrue(streamBegan(socket, body), "the generation began");

            p.process.getOutputStream().close(); // the parent is gone, mid-generation
            assertEquals(0, p.awaitExit(Duration.ofSeconds(30)), p.stderrSoFar());
        }
    }

    @Test
    void sigtermEndsTheProcess() throws Exception {
        try (EngineServerProcess p = EngineServerProcess.startDemo()) {
            p.process.toHandle().destroy(); // SIGTERM only: Process.destroy would also close our end of its stdin
            int code = p.awaitExit(Duration.ofSeconds(30));
            assertEquals(143, code, "128 + SIGTERM, as a JVM ends on it; stderr: " + p.stderrSoFar());
        }
    }

    @Test
    void aModelThatCannotLoadExitsWithCode2AndOneLine() throws Exception {
        try (EngineServerProcess p = EngineServerProcess.start("-m", "/nonexistent/model.gguf", "--port", "0")) {
            p.awaitListening();
            assertEquals(EngineServer.EXIT_FATAL, p.awaitExit(Duration.ofSeconds(60)));
            String line = p.awaitStderr(l -> l.startsWith("helios4j engine: cannot load the model: "), Duration.ofSeconds(10));
            assertTrue(line.contains("/nonexistent/model.gguf"), line);
        }
    }

    @Test
    void anUnknownFlagFailsAtStartNamingIt() throws Exception {
        try (EngineServerProcess p = EngineServerProcess.start("-m", "x.gguf", "--api-key", "s3cret", "--mlock")) {
            assertEquals(EngineServer.EXIT_FATAL, p.awaitExit(Duration.ofSeconds(60)));
            String line = p.awaitStderr(l -> l.contains("Unknown flag"), Duration.ofSeconds(10));
            assertTrue(line.contains("'--mlock'"), line);
            assertFalse(line.contains("s3cret"), line);
            assertTrue(p.stdout.isEmpty(), "nothing on stdout: " + p.stdout);
        }
    }

    @Test
    void itBindsOnlyTheGivenHost() throws Exception {
        try (EngineServerProcess p = EngineServerProcess.start("-m", EngineServerProcess.demoModel().toString(),
                "--host", "127.0.0.1", "--port", "0")) {
            int port = p.awaitListening();
            java.net.InetAddress other = otherLocalAddress();
            if (other != null) {
                assertFalse(connects(other, port), "reachable on " + other.getHostAddress());
            }
            assertTrue(connects(java.net.InetAddress.getByName("127.0.0.1"), port));
        }
    }

    private static boolean connects(java.net.InetAddress address, int port) {
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress(address, port), 5_000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** A non-loopback IPv4 address of this machine, or null when it has none. */
    private static java.net.InetAddress otherLocalAddress() throws Exception {
        for (var nif : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (var a : java.util.Collections.list(nif.getInetAddresses())) {
                if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
                    return a;
                }
            }
        }
        return null;
    }
}
