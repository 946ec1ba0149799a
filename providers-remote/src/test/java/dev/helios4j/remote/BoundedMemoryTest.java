package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.ServerException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A server that never stops sending ends in an exception that names the limit, at that limit,
 * never in an OutOfMemoryError. The timeouts cannot help here: bytes keep coming.
 */
class BoundedMemoryTest {
    /**
     * What may be in flight beyond the limit when the client stops: loopback socket buffers (a few
     * MiB each way once autotuned) and the client's small window of body buffers.
     */
    private static final long IN_FLIGHT = 16L << 20;

    @ParameterizedTest(name = "{0}: {1} {2}")
    @CsvSource({
        "LINE,  openai.limit.line,  1 MiB",
        "EVENT, openai.limit.event, 8 MiB",
        "BODY,  openai.limit.body,  32 MiB"})
    void endlessAnswerFailsAtTheDefaultLimitNamingIt(EndlessServers.Kind kind, String setting, String size)
            throws Exception {
        AtomicLong sent = new AtomicLong();
        try (LoopbackServer server = new LoopbackServer(EndlessServers.of(kind, sent));
             LlmClient client = Transcripts.client(server)) {
            ServerException e = assertThrows(ServerException.class, () -> client.chat("Hi"));
            assertTrue(e.getMessage().contains("larger than " + size + " (" + setting + ")"), e.getMessage());
            assertTrue(e.getMessage().contains("-Dhelios4j." + setting + "="), "says how to raise it: " + e.getMessage());
            assertEquals(kind == EndlessServers.Kind.BODY ? "" : "Hi", e.partialText());
            if (kind == EndlessServers.Kind.BODY) {
                assertTrue(e.bodyExcerpt().startsWith("{\"id\":\"chatcmpl-1\""), e.bodyExcerpt());
            }
            long limit = switch (kind) {
                case LINE -> Limits.DEFAULT.line();
                case EVENT -> Limits.DEFAULT.event();
                case BODY -> Limits.DEFAULT.body();
            };
            assertTrue(sent.get() >= limit - (64 << 10), "stopped before the limit: " + sent.get());
            assertTrue(sent.get() <= limit + IN_FLIGHT, "read far past the limit: " + sent.get());
        }
    }

    @Test
    void limitsAreSettingsAndTheMessageFollowsThem() throws Exception {
        AtomicLong sent = new AtomicLong();
        try (LoopbackServer server = new LoopbackServer(EndlessServers.of(EndlessServers.Kind.LINE, sent));
             LlmClient client = Transcripts.client(server, "openai.limit.line", "64KiB")) {
            ServerException e = assertThrows(ServerException.class, () -> client.chat("Hi"));
            assertTrue(e.getMessage().contains("larger than 64 KiB (openai.limit.line)"), e.getMessage());
            assertTrue(e.getMessage().contains("-Dhelios4j.openai.limit.line=256KiB"), e.getMessage());
            assertTrue(sent.get() <= (64 << 10) + IN_FLIGHT, "read far past the limit: " + sent.get());
        }
    }

    @Test
    void endlessModelListFailsAtTheBodyLimit() throws Exception {
        AtomicLong sent = new AtomicLong();
        LoopbackServer.Handler endless = EndlessServers.of(EndlessServers.Kind.BODY, sent);
        try (LoopbackServer server = new LoopbackServer(endless);
             LlmClient client = Transcripts.client(server, "openai.limit.body", "1MiB")) {
            ServerException e = assertThrows(ServerException.class, client::models);
            assertTrue(e.getMessage().contains("more than 1 MiB (openai.limit.body)"), e.getMessage());
            assertTrue(e.bodyExcerpt().startsWith("{\"id\""), e.bodyExcerpt());
            assertTrue(sent.get() <= (1 << 20) + IN_FLIGHT, "read far past the limit: " + sent.get());
        }
    }

    @ParameterizedTest
    @CsvSource({"openai.limit.line, 1", "openai.limit.event, 8 megabytes", "openai.limit.body, 4096GiB",
        "openai.limit.body, -1"})
    void malformedLimitsFailWhenOpeningAndNameTheKey(String key, String value) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> Llm.open("openai:m", Transcripts.NO_CONFIG.with(key, value)));
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains("MiB"), e.getMessage());
    }

    @Test
    void sizesReadAsPowersOf1024() {
        assertEquals(new Limits(2048, 3 << 20, 1 << 30), Limits.from(Transcripts.NO_CONFIG
                .with("openai.limit.line", "2048").with("openai.limit.event", "3m").with("openai.limit.body", "1 GiB")));
        assertEquals(Limits.DEFAULT, Limits.from(Transcripts.NO_CONFIG));
    }

    /**
     * The proof that memory stays bounded: each endless server against a client in a JVM whose heap
     * (128 MiB) holds far less than the servers send. Without the limits this ended in
     * OutOfMemoryError within seconds.
     */
    @Test
    void endlessServersCannotExhaustASmallHeap() throws Exception {
        List<LoopbackServer> servers = new ArrayList<>();
        try {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"), EndlessClient.class.getName()));
            for (EndlessServers.Kind kind : EndlessServers.Kind.values()) {
                LoopbackServer server = new LoopbackServer(EndlessServers.of(kind, new AtomicLong()));
                servers.add(server);
                command.add(server.baseUrl());
            }
            Process child = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<String> outcomes = new ArrayList<>();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertTrue(child.waitFor(3, TimeUnit.MINUTES), "the child JVM did not finish");
                out.lines().forEach(outcomes::add);
            } finally {
                child.destroyForcibly();
            }
            assertEquals(3, outcomes.size(), "one outcome per server: " + outcomes);
            String[] settings = {"openai.limit.line", "openai.limit.event", "openai.limit.body"};
            for (int i = 0; i < 3; i++) {
                String outcome = outcomes.get(i);
                assertFalse(outcome.contains("OutOfMemoryError"), settings[i] + ": " + outcomes);
                assertTrue(outcome.startsWith("ServerException: ") && outcome.contains("(" + settings[i] + ")"), outcome);
            }
        } finally {
            for (LoopbackServer server : servers) {
                server.close();
            }
        }
    }
}
