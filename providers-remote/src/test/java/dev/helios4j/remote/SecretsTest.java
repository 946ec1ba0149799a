package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.AuthenticationException;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.ServerException;
import dev.helios4j.Settings;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Credentials in the base URL or the key never show, and a key the header cannot carry is named, not shown. */
class SecretsTest {
    private static final String PASSWORD = "hunter2-PASSWORD-in-userinfo";
    private static final String QUERY_KEY = "sk-query-SECRET-0123456789";

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void assertNoSecret(String text) {
        assertFalse(text.contains(PASSWORD), "the password leaked: " + text);
        assertFalse(text.contains(QUERY_KEY), "the query key leaked: " + text);
    }

    private static LoopbackServer.Request request(LoopbackServer server) throws InterruptedException {
        LoopbackServer.Request r = server.requests.poll(30, TimeUnit.SECONDS);
        assertTrue(r != null, "no request arrived");
        return r;
    }

    @Test
    void passwordInTheBaseUrlNeverShowsInMessagesLogsOrToString() throws Exception {
        LoopbackServer.Handler failing = (request, exchange) -> exchange.respond(500, "text/plain", "down");
        try (LoopbackServer server = new LoopbackServer(failing);
             LogCapture log = new LogCapture(ChatCall.class, "Retrying")) {
            String url = server.baseUrl().replace("http://", "http://alice:" + PASSWORD + "@");
            OpenAiClients.Builder builder = OpenAiClients.builder(Transcripts.NO_CONFIG).baseUrl(url)
                    .totalTimeout(java.time.Duration.ofMinutes(1));
            List<String> shown = new ArrayList<>(List.of(builder.toString()));
            try (LlmClient client = Llm.open("openai:m", builder.settings().with("openai.retry.initial-backoff", "10ms"))) {
                ServerException e = assertThrows(ServerException.class, () -> client.chat("Hi"));
                assertTrue(e.getMessage().contains("alice:****@127.0.0.1"), e.getMessage());
                shown.add(e.getMessage());
                shown.add(client.toString());
            }
            assertEquals(3, server.connections.get(), "two retries were made and logged");
            assertFalse(log.lines.isEmpty(), "the retries were logged");
            shown.addAll(log.lines);
            shown.forEach(SecretsTest::assertNoSecret);
        }
        String refused = "http://alice:" + PASSWORD + "@127.0.0.1:" + closedPort() + "/v1";
        try (LlmClient client = Llm.open("openai:m", Transcripts.NO_CONFIG.with("openai.base-url", refused)
                .with("openai.retries", "0"))) {
            LlmException chat = assertThrows(LlmException.class, () -> client.chat("Hi"));
            LlmException models = assertThrows(LlmException.class, client::models);
            for (LlmException e : List.of(chat, models)) {
                assertTrue(e.getMessage().startsWith("Could not reach http://alice:****@127.0.0.1:"), e.getMessage());
                assertNoSecret(e.getMessage());
            }
        }
    }

    @Test
    void keyInTheBaseUrlsQueryIsSentButNeverShown() throws Exception {
        LoopbackServer.Handler failing = (request, exchange) -> exchange.respond(502, "text/plain", "bad gateway");
        try (LoopbackServer server = new LoopbackServer(failing);
             LlmClient client = Transcripts.client(server, "openai.retries", "0",
                     "openai.base-url", server.baseUrl() + "?key=" + QUERY_KEY + "&api-version=2024-06-01")) {
            ServerException e = assertThrows(ServerException.class, () -> client.chat("Hi"));
            assertTrue(e.getMessage().contains("/v1?key=****&api-version=2024-06-01"), e.getMessage());
            assertNoSecret(e.getMessage());
            assertNoSecret(client.toString());
            assertEquals("/v1/chat/completions?key=" + QUERY_KEY + "&api-version=2024-06-01", request(server).path());
        }
    }

    @Test
    void malformedBaseUrlIsRefusedWithoutShowingItsPassword() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Llm.open("openai:m",
                Transcripts.NO_CONFIG.with("openai.base-url", "http://alice:" + PASSWORD + " x@host/v1")));
        assertTrue(e.getMessage().contains("openai.base-url"), e.getMessage());
        assertNoSecret(e.getMessage());
    }

    @Test
    void azureStyleBaseUrlGetsThePathBeforeItsQuery() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0))) {
            String base = server.baseUrl().replace("/v1", "/openai/deployments/d/?api-version=2024-06-01");
            try (LlmClient client = Transcripts.client(server, "openai.base-url", base)) {
                client.chat("Hi");
                assertEquals("/openai/deployments/d/chat/completions?api-version=2024-06-01", request(server).path());
                client.models();
                assertEquals("/openai/deployments/d/models?api-version=2024-06-01", request(server).path());
            }
        }
    }

    static List<Arguments> badKeys() {
        return List.of(
                Arguments.of("sk-proj-abc\u2026def", "U+2026 HORIZONTAL ELLIPSIS", 12),
                Arguments.of("sk-proj-abc\ndef", "U+000A LINE FEED (LF)", 12),
                Arguments.of("sk-pr\u00e9j-abcdef", "U+00E9 LATIN SMALL LETTER E WITH ACUTE", 6),
                Arguments.of("sk-proj abcdef", "U+0020 SPACE", 8));
    }

    @ParameterizedTest(name = "{1} at {2}")
    @MethodSource("badKeys")
    void keyWithACharacterAHeaderCannotCarryIsRefusedWhenOpeningNamingTheCharacter(String key, String character,
                                                                                   int position) {
        for (Settings settings : List.of(Transcripts.NO_CONFIG.with("openai.api-key", key),
                Settings.of(java.util.Map.of(), java.util.Map.of("OPENAI_API_KEY", key),
                        java.nio.file.Path.of("/nonexistent-home")))) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class,
                    () -> Llm.open("openai:m", settings).close());
            assertTrue(e.getMessage().contains("API key"), e.getMessage());
            assertTrue(e.getMessage().contains(character + " at position " + position + " of " + key.length()),
                    e.getMessage());
            assertTrue(e.getMessage().contains("paste it again"), e.getMessage());
            assertFalse(e.getMessage().contains(key) || e.getMessage().contains("abcdef")
                    || e.getMessage().contains("abc\u2026"), "the key leaked: " + e.getMessage());
        }
        assertThrows(InvalidRequestException.class,
                () -> OpenAiClients.builder(Transcripts.NO_CONFIG).apiKey(key).open("m").close());
    }

    @Test
    void headerValueACharacterCannotCarryIsNamedNotShown() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Llm.open("openai:m",
                Transcripts.NO_CONFIG.with("openai.headers", "X-Team: research\nX-Token: tok-SECRET\u2026tail")).close());
        assertTrue(e.getMessage().contains("X-Token"), e.getMessage());
        assertTrue(e.getMessage().contains("U+2026 HORIZONTAL ELLIPSIS at position 11 of 15"), e.getMessage());
        assertFalse(e.getMessage().contains("tok-SECRET"), "the value leaked: " + e.getMessage());
    }

    @Test
    void unauthorizedWithoutAKeyReadsAsSentences() throws Exception {
        LoopbackServer.Handler refuse = (request, exchange) -> exchange.respond(401, "application/json",
                "{\"error\":{\"message\":\"You didn't provide an API key.\",\"type\":\"invalid_request_error\"}}");
        try (LoopbackServer server = new LoopbackServer(refuse); LlmClient client = Transcripts.client(server)) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> client.chat("Hi"));
            assertTrue(e.getMessage().contains("You didn't provide an API key. No API key is"), e.getMessage());
            assertFalse(e.getMessage().contains(".."), e.getMessage());
        }
    }

    @Test
    void connectFailureWithoutAKeyMentionsTheMissingKeyAsAHint() throws Exception {
        String url = "http://127.0.0.1:" + closedPort() + "/v1";
        try (LlmClient client = Llm.open("openai:m", Transcripts.NO_CONFIG.with("openai.base-url", url)
                .with("openai.retries", "0"))) {
            LlmException e = assertThrows(LlmException.class, () -> client.chat("Hi"));
            assertTrue(e.getMessage().startsWith("Could not reach " + url), e.getMessage());
            assertTrue(e.getMessage().contains("no API key is set (OPENAI_API_KEY"), e.getMessage());
        }
        try (LlmClient client = Llm.open("openai:m", Transcripts.NO_CONFIG.with("openai.base-url", url)
                .with("openai.retries", "0").with("openai.api-key", ErrorMappingTest.KEY))) {
            LlmException e = assertThrows(LlmException.class, () -> client.chat("Hi"));
            assertFalse(e.getMessage().contains("no API key"), "a key is set: " + e.getMessage());
        }
    }
}
