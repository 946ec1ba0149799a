package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.AuthenticationException;
import dev.helios4j.ContextLengthExceededException;
import dev.helios4j.HttpException;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.RateLimitException;
import dev.helios4j.ServerException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each HTTP status becomes its own exception, with the server's message and never the key. */
class ErrorMappingTest {
    static final String KEY = "sk-test-Zq8v2LmN4pR6tY1uW3xA5cE7gI9kO0";

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "400, InvalidRequestException",
        "401, AuthenticationException",
        "403, AuthenticationException",
        "404, ModelNotFoundException",
        "408, LlmTimeoutException",
        "409, HttpException",
        "418, HttpException",
        "429, RateLimitException",
        "500, ServerException",
        "502, ServerException",
        "503, ServerException",
        "504, ServerException"})
    void statusMapsToItsException(int status, String type) throws Exception {
        LoopbackServer.Handler failing = (request, exchange) -> exchange.respond(status, "application/json",
                "{\"error\":{\"message\":\"the server's own words\",\"type\":\"x\",\"code\":null}}");
        try (LoopbackServer server = new LoopbackServer(failing);
             LlmClient client = Transcripts.client(server, "openai.retries", "0", "openai.api-key", KEY)) {
            LlmException e = assertThrows(LlmException.class, () -> client.chat("Hi"));
            Class<?> expected = switch (type) {
                case "InvalidRequestException" -> InvalidRequestException.class;
                case "AuthenticationException" -> AuthenticationException.class;
                case "ModelNotFoundException" -> ModelNotFoundException.class;
                case "LlmTimeoutException" -> LlmTimeoutException.class;
                case "RateLimitException" -> RateLimitException.class;
                case "ServerException" -> ServerException.class;
                default -> HttpException.class;
            };
            assertEquals(expected, e.getClass());
            assertTrue(e.getMessage().contains("the server's own words"), e.getMessage());
            assertTrue(e.getMessage().contains(server.baseUrl()), "the message names the server: " + e.getMessage());
            if (e instanceof HttpException http) {
                assertEquals(status, http.statusCode());
            }
        }
    }

    @Test
    void unauthorizedBodyEchoingTheKeyNeverShowsIt() throws Exception {
        LoopbackServer.Handler echo = (request, exchange) -> exchange.respond(401, "application/json",
                "{\"error\":{\"message\":\"Incorrect API key provided: " + request.headers().get("authorization")
                        + ". You can find your API key in your account settings.\",\"type\":\"invalid_request_error\","
                        + "\"param\":null,\"code\":\"invalid_api_key\"}}");
        try (LoopbackServer server = new LoopbackServer(echo);
             LlmClient client = Transcripts.client(server, "openai.api-key", KEY)) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> client.chat("Hi"));
            assertEquals(401, e.statusCode());
            assertTrue(e.getMessage().contains("Incorrect API key provided: Bearer ****"), e.getMessage());
            assertTrue(e.getMessage().contains("OPENAI_API_KEY"), "says which setting to check: " + e.getMessage());
            for (String text : new String[] {e.getMessage(), e.bodyExcerpt(), e.toString(), client.toString()}) {
                assertFalse(text.contains(KEY), "the key leaked: " + text);
            }
            assertEquals(1, server.connections.get(), "401 is not retried");
        }
    }

    @Test
    void notFoundSaysToCheckTheBaseUrl() {
        OpenAiConfig config = OpenAiConfig.from(Transcripts.NO_CONFIG.with("openai.base-url", "http://h:1"), "m");
        LlmException e = HttpErrors.toException(config, "m", 404, "404 page not found".getBytes(), null, "");
        assertInstanceOf(ModelNotFoundException.class, e);
        assertTrue(e.getMessage().contains("http://h:1/chat/completions"), e.getMessage());
        assertTrue(e.getMessage().contains("'/v1'"), e.getMessage());
    }

    @Test
    void longBodiesAreCutToAnExcerpt() {
        String excerpt = HttpErrors.excerpt("x".repeat(10_000).getBytes());
        assertEquals(HttpErrors.EXCERPT_CHARS + 3, excerpt.length());
    }

    @Test
    void backoffGrowsIsCappedAndJittered() {
        Duration initial = Duration.ofMillis(500);
        for (int attempt = 0; attempt < 10; attempt++) {
            long ceiling = Math.min(500L << attempt, Backoff.CAP.toMillis());
            for (int i = 0; i < 50; i++) {
                long ms = Backoff.delay(attempt, initial, null).toMillis();
                assertTrue(ms >= ceiling / 2 && ms <= ceiling, "attempt " + attempt + ": " + ms);
            }
        }
        assertEquals(Duration.ofSeconds(3), Backoff.delay(0, initial, Duration.ofSeconds(3)), "the server's hint wins");
    }

    @Test
    void llamaServersContextOverflowIsAContextLengthExceededExceptionWithBothNumbers() throws Exception {
        // The body llama-server sends for a prompt longer than a slot's context.
        LoopbackServer.Handler full = (request, exchange) -> exchange.respond(400, "application/json",
                "{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size, try increasing it\","
                        + "\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":5002,\"n_ctx\":2048}}");
        try (LoopbackServer server = new LoopbackServer(full);
             LlmClient client = Transcripts.client(server, "openai.retries", "0")) {
            ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class, () -> client.chat("Hi"));
            assertEquals(5002, e.promptTokens());
            assertEquals(2048, e.contextTokens());
            assertTrue(e.getMessage().contains("dropOldestWhenFull"), e.getMessage());
        }
    }
}
