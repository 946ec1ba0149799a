package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.ChatRequest;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.ProviderInfo;
import dev.helios4j.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where the base URL, key, headers and limits come from, and what reaches the server. */
class SettingsAndBuilderTest {
    private static final String KEY = ErrorMappingTest.KEY;

    private static LoopbackServer.Request firstRequest(LoopbackServer server) throws InterruptedException {
        LoopbackServer.Request r = server.requests.poll(30, TimeUnit.SECONDS);
        assertTrue(r != null, "no request arrived");
        return r;
    }

    @Test
    void bearerKeyIsSentToLoopbackHostsToo() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0))) {
            for (String host : new String[] {"127.0.0.1", "localhost"}) {
                String url = server.baseUrl().replace("127.0.0.1", host);
                try (LlmClient client = OpenAiClients.builder(Transcripts.NO_CONFIG).baseUrl(url).apiKey(KEY).open("m")) {
                    client.chat("Hi");
                }
                assertEquals("Bearer " + KEY, firstRequest(server).headers().get("authorization"), host);
            }
        }
    }

    @Test
    void noKeyMeansNoAuthorizationHeader() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0));
             LlmClient client = Transcripts.client(server)) {
            client.chat("Hi");
            assertNull(firstRequest(server).headers().get("authorization"));
        }
    }

    @Test
    void environmentSuppliesBaseUrlAndKey() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0))) {
            Settings env = Settings.of(Map.of(), Map.of("OPENAI_BASE_URL", server.baseUrl() + "/", "OPENAI_API_KEY", KEY),
                    Path.of("/nonexistent-home"));
            try (LlmClient client = Llm.open("openai:gpt-4o-mini", env)) {
                client.chat("Hi");
            }
            LoopbackServer.Request r = firstRequest(server);
            assertEquals("/v1/chat/completions", r.path(), "only the trailing slash is normalised");
            assertEquals("Bearer " + KEY, r.headers().get("authorization"));
            assertEquals("gpt-4o-mini", new ObjectMapper().readTree(r.body()).get("model").asText());
        }
    }

    @Test
    void baseUrlIsUsedAsGivenWithoutGuessingAVersion() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0))) {
            String bare = server.baseUrl().replace("/v1", "");
            try (LlmClient client = OpenAiClients.builder(Transcripts.NO_CONFIG).baseUrl(bare + "//").open("m")) {
                client.chat("Hi");
            }
            assertEquals("/chat/completions", firstRequest(server).path());
        }
    }

    @Test
    void settingBeatsTheEnvironmentsBaseUrl() {
        Settings s = Settings.of(Map.of("helios4j.openai.base-url", "http://set:1/v1"),
                Map.of("OPENAI_BASE_URL", "http://env:2/v1"), Path.of("/nonexistent-home"));
        assertEquals("http://set:1/v1", OpenAiConfig.from(s, "m").baseUrl());
        assertEquals(OpenAiConfig.DEFAULT_BASE_URL, OpenAiConfig.from(Transcripts.NO_CONFIG, "m").baseUrl());
    }

    @Test
    void builderHeadersOrganizationAndProjectReachTheServer() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0))) {
            OpenAiClients.Builder builder = OpenAiClients.builder(Transcripts.NO_CONFIG).baseUrl(server.baseUrl())
                    .apiKey(KEY).organization("org-42").project("proj-7").header("X-Team", "research")
                    .header("X-Trace", "on").connectTimeout(Duration.ofSeconds(3)).idleTimeout(Duration.ofSeconds(4))
                    .firstByteTimeout(Duration.ofSeconds(5)).totalTimeout(Duration.ofSeconds(60)).maxRetries(0)
                    .maxCompletionTokens(true);
            assertFalse(builder.toString().contains(KEY));
            assertFalse(builder.settings().toString().contains(KEY));
            try (LlmClient client = builder.open("m")) {
                client.chat(ChatRequest.builder().user("Hi").maxTokens(3).model("per-request-model").build());
                assertFalse(client.toString().contains(KEY));
            }
            LoopbackServer.Request r = firstRequest(server);
            assertEquals("org-42", r.headers().get("openai-organization"));
            assertEquals("proj-7", r.headers().get("openai-project"));
            assertEquals("research", r.headers().get("x-team"));
            assertEquals("on", r.headers().get("x-trace"));
            var body = new ObjectMapper().readTree(r.body());
            assertEquals("per-request-model", body.get("model").asText(), "the request's model overrides the client's");
            assertEquals(3, body.get("max_completion_tokens").asInt());

            OpenAiConfig config = OpenAiConfig.from(builder.settings(), "m");
            assertEquals(Duration.ofSeconds(3), config.connectTimeout());
            assertEquals(Duration.ofSeconds(4), config.idleTimeout());
            assertEquals(Duration.ofSeconds(5), config.firstByteTimeout());
            assertEquals(Duration.ofSeconds(60), config.totalTimeout());
            assertEquals(0, config.maxRetries());
            assertFalse(config.toString().contains(KEY));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "openai.timeout.idle|soon",
        "openai.timeout.connect|0",
        "openai.retries|two",
        "openai.retries|-1",
        "openai.max-completion-tokens|maybe",
        "openai.base-url|ftp://example/v1",
        "openai.base-url|localhost:8080",
        "openai.headers|no colon here",
        "openai.headers|Host: other"})
    void malformedSettingsFailWhenOpeningAndNameTheKey(String key, String value) {
        Settings s = Transcripts.NO_CONFIG.with(key, value);
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Llm.open("openai:m", s));
        assertTrue(e.getMessage().contains(key.startsWith("openai.headers") ? "openai.headers" : key), e.getMessage());
    }

    @Test
    void headersSettingTakesOnePerLine() {
        assertEquals(Map.of("A", "1", "B", "x: y"), OpenAiConfig.parseHeaders("A: 1\nB: x: y\n"));
        assertEquals(Map.of("A", "1", "B", "2"), OpenAiConfig.parseHeaders("A: 1\\nB: 2"));
    }

    @Test
    void providerIsFoundByServiceLoader() {
        ProviderInfo info = Llm.providers().stream().filter(p -> p.name().equals("openai")).findFirst().orElseThrow();
        assertTrue(info.isAvailable());
        assertTrue(info.description().contains("OPENAI_BASE_URL"));
    }

    @Test
    void modelsListsTheServersModelsOrNothingWithoutTheEndpoint() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0)); LlmClient client = Transcripts.client(server)) {
            assertEquals(java.util.List.of(FakeModel.MODEL), client.models());
        }
        LoopbackServer.Handler none = (request, exchange) -> exchange.respond(404, "text/plain", "404 page not found");
        try (LoopbackServer server = new LoopbackServer(none); LlmClient client = Transcripts.client(server)) {
            assertEquals(java.util.List.of(), client.models());
        }
    }

    @Test
    void closedEngineRefusesCalls() {
        OpenAiEngine engine = new OpenAiEngine(OpenAiConfig.from(Transcripts.NO_CONFIG, "m"));
        engine.close();
        engine.close();
        assertThrows(LlmException.class, () -> engine.chat(ChatRequest.of("Hi")));
        assertThrows(LlmException.class, engine::models);
    }
}
