package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.AuthenticationException;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.LlmClient;
import dev.helios4j.ResponseFormat;
import dev.helios4j.Settings;
import dev.helios4j.local.internal.LlamaEngine;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.remote.OpenAiClients;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real EngineServer child JVM on the generated demo model, reached with helios4j's real
 * OpenAI-compatible client and with raw HTTP for the exact llama-server formats. The template
 * passes the last message through, so "Hello" answers " world!" and "Loop" never ends.
 */
class EngineServerTest {
    static final String RAW_TEMPLATE =
            "{% for m in messages %}{% if loop.last %}{{ m['content'] }}{% endif %}{% endfor %}";
    static final String KEY = "test-key-7f3a";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static EngineServerProcess engine;
    private static LlmClient client;

    @BeforeAll
    static void startEngine() throws Exception {
        engine = EngineServerProcess.startDemo("--api-key", KEY, "--alias", "demo", "--jinja",
                "--chat-template", RAW_TEMPLATE, "-np", "2");
        client = clientOf(engine, KEY);
    }

    @AfterAll
    static void stopEngine() throws Exception {
        if (client != null) {
            client.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    static LlmClient clientOf(EngineServerProcess engine, String key) {
        return OpenAiClients.builder(Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home")))
                .baseUrl(engine.baseUrl() + "/v1").apiKey(key).maxRetries(0).open("demo");
    }

    private static ChatRequest.Builder hello() {
        return ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0);
    }

    @Test
    void helloAnswersWorldStreamedAndNot() {
        assertEquals(DemoModels.HELLO_ANSWER, client.chat(hello().build()).text());
        List<String> pieces = new CopyOnWriteArrayList<>();
        ChatResponse streamed = client.stream(hello().build(), pieces::add);
        assertEquals(DemoModels.HELLO_ANSWER, streamed.text());
        assertEquals(streamed.text(), String.join("", pieces), "joined pieces equal the final text");
        assertTrue(pieces.size() > 1, "the answer arrives in pieces: " + pieces);
        assertEquals(FinishReason.STOP, streamed.finishReason());
        assertEquals("demo", streamed.model());
    }

    @Test
    void streamHasLlamaServersChunkFormat() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                + "\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}}", KEY);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
        List<String> events = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (!line.isEmpty()) {
                assertTrue(line.startsWith("data: "), line);
                events.add(line.substring(6));
            }
        }
        assertEquals("[DONE]", events.get(events.size() - 1));
        JsonNode role = JSON.readTree(events.get(0));
        assertEquals("assistant", role.at("/choices/0/delta/role").asText());
        assertTrue(role.at("/choices/0/delta/content").isNull());
        StringBuilder text = new StringBuilder();
        String id = role.path("id").asText();
        assertTrue(id.matches("chatcmpl-[A-Za-z0-9]{32}"), id);
        for (String e : events.subList(1, events.size() - 3)) {
            JsonNode chunk = JSON.readTree(e);
            assertEquals("chat.completion.chunk", chunk.path("object").asText());
            assertEquals(id, chunk.path("id").asText());
            assertEquals("demo", chunk.path("model").asText());
            assertTrue(chunk.at("/choices/0/finish_reason").isNull());
            text.append(chunk.at("/choices/0/delta/content").asText());
        }
        assertEquals(DemoModels.HELLO_ANSWER, text.toString());
        JsonNode last = JSON.readTree(events.get(events.size() - 3));
        assertEquals("stop", last.at("/choices/0/finish_reason").asText());
        assertTrue(last.at("/choices/0/delta").isObject() && last.at("/choices/0/delta").isEmpty());
        JsonNode usage = JSON.readTree(events.get(events.size() - 2));
        assertTrue(usage.path("choices").isArray() && usage.path("choices").isEmpty());
        assertEquals(usage.at("/usage/prompt_tokens").asInt() + usage.at("/usage/completion_tokens").asInt(),
                usage.at("/usage/total_tokens").asInt());
        JsonNode timings = usage.path("timings");
        assertEquals(usage.at("/usage/completion_tokens").asInt(), timings.path("predicted_n").asInt());
        assertEquals(usage.at("/usage/prompt_tokens").asInt(), timings.path("prompt_n").asInt());
        for (String f : List.of("prompt_ms", "prompt_per_token_ms", "prompt_per_second", "predicted_ms",
                "predicted_per_token_ms", "predicted_per_second")) {
            assertTrue(timings.path(f).isNumber(), f + " in " + timings);
        }
    }

    @Test
    void blockingAnswerHasLlamaServersFormat() throws Exception {
        HttpResponse<String> r = post("/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                + "\"temperature\":0,\"max_tokens\":2}", KEY);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode root = JSON.readTree(r.body());
        assertEquals("chat.completion", root.path("object").asText());
        assertEquals("assistant", root.at("/choices/0/message/role").asText());
        assertEquals("length", root.at("/choices/0/finish_reason").asText());
        assertEquals(2, root.at("/usage/completion_tokens").asInt());
        assertEquals(2, root.at("/timings/predicted_n").asInt());
        assertTrue(DemoModels.HELLO_ANSWER.startsWith(root.at("/choices/0/message/content").asText()), r.body());
    }

    @Test
    void stopStringEndsTheAnswerBeforeIt() throws Exception {
        ChatResponse r = client.chat(hello().stop("!").build());
        assertEquals(" world", r.text());
        assertEquals(FinishReason.STOP_SEQUENCE, r.finishReason());
        // llama-server's own spelling: "stop" for a stop word; a string or a list is accepted.
        JsonNode root = JSON.readTree(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":"
                + "\"Hello\"}],\"temperature\":0,\"stop\":\"rld\"}", KEY).body());
        assertEquals(" wo", root.at("/choices/0/message/content").asText());
        assertEquals("stop", root.at("/choices/0/finish_reason").asText());
    }

    @Test
    void maxTokensEndsWithFinishReasonLength() {
        ChatResponse r = client.chat(ChatRequest.builder().user(DemoModels.LOOP_PROMPT).temperature(0).maxTokens(5).build());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(5, r.usage().completionTokens());
    }

    @Test
    void usageCountsEqualTheInProcessEngines() throws Exception {
        Settings settings = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"))
                .with("llamacpp.chat-template", RAW_TEMPLATE);
        try (LlamaEngine inProcess = LlamaEngine.load(EngineServerProcess.demoModel().toString(), "demo", settings)) {
            for (ChatRequest request : List.of(hello().build(),
                    ChatRequest.builder().user(DemoModels.LOOP_PROMPT).temperature(0).maxTokens(17).build(),
                    ChatRequest.builder().system("Be terse.").user(DemoModels.SKY_PROMPT).temperature(0).build())) {
                ChatResponse local = inProcess.chat(request);
                ChatResponse served = client.stream(request, piece -> { });
                assertEquals(local.text(), served.text());
                assertEquals(local.usage(), served.usage(), "usage for " + request.messages());
                assertEquals(local.finishReason(), served.finishReason());
            }
        }
    }

    @Test
    void jsonSchemaFormatConstrainsTheAnswer() {
        String schema = "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"]}";
        ChatResponse r = client.chat(hello().maxTokens(64).responseFormat(ResponseFormat.jsonSchema("flag", schema)).build());
        String compact = r.text().replaceAll("\\s", "");
        assertTrue(compact.equals("{\"ok\":true}") || compact.equals("{\"ok\":false}"), r.text());
    }

    @Test
    void withoutTheKeyRequestsAreRefusedInLlamaServersFormat() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}", null);
        assertEquals(401, r.statusCode());
        // The exact body llama-server's HTTP layer sends (its field order, too).
        assertEquals("{\"error\":{\"message\":\"Invalid API Key\",\"type\":\"authentication_error\",\"code\":401}}", r.body());
        assertEquals(401, post("/v1/chat/completions", "{}", "wrong-key").statusCode());
        try (LlmClient wrong = clientOf(engine, "wrong-key")) {
            AuthenticationException e = assertThrows(AuthenticationException.class, () -> wrong.chat("Hello"));
            assertFalse(e.getMessage().contains("wrong-key"), e.getMessage());
        }
        assertEquals(200, get("/health", null).statusCode(), "health needs no key, as llama-server's");
        assertEquals(401, get("/v1/models", null).statusCode(), "the model list does, as in llama-server");
        assertEquals(401, get("/no-such-endpoint", null).statusCode(), "the key is checked before the path");
        // llama-server's other spellings: the key without "Bearer ", or in X-Api-Key.
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(engine.baseUrl() + "/props")).timeout(Duration.ofSeconds(60));
        assertEquals(200, HTTP.send(b.copy().header("Authorization", KEY).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(200, HTTP.send(b.copy().header("X-Api-Key", KEY).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void badRequestsAreInvalidRequestErrorsWithHelios4jsMessage() throws Exception {
        HttpResponse<String> r = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                + "\"temperature\":7}", KEY);
        assertEquals(400, r.statusCode());
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertEquals(400, error.path("code").asInt());
        assertEquals("invalid_request_error", error.path("type").asText());
        assertTrue(error.path("message").asText().contains("temperature must be between 0 and 2"), r.body());

        JsonNode tooLong = JSON.readTree(post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\""
                + "Hello ".repeat(3000) + "\"}]}", KEY).body()).path("error");
        assertEquals("exceed_context_size_error", tooLong.path("type").asText(), tooLong.toString());
        assertEquals(DemoModels.CONTEXT_LENGTH / 2, tooLong.path("n_ctx").asInt(), "two slots share the context");
        assertTrue(tooLong.path("n_prompt_tokens").asInt() > tooLong.path("n_ctx").asInt());

        assertEquals(400, post("/v1/chat/completions", "not json", KEY).statusCode());
        assertEquals(404, get("/no-such-endpoint", KEY).statusCode());
    }

    @Test
    void modelsPropsTokenizeAndApplyTemplate() throws Exception {
        assertEquals(List.of("demo"), client.models());
        JsonNode models = JSON.readTree(get("/v1/models", KEY).body());
        assertEquals("list", models.path("object").asText());
        assertEquals("demo", models.at("/data/0/id").asText());
        assertEquals("model", models.at("/data/0/object").asText());
        assertEquals(DemoModels.CONTEXT_LENGTH, models.at("/data/0/meta/n_ctx_train").asInt());

        JsonNode props = JSON.readTree(get("/props", KEY).body());
        assertEquals(DemoModels.CONTEXT_LENGTH / 2, props.at("/default_generation_settings/n_ctx").asInt());
        assertEquals(2, props.path("total_slots").asInt());
        assertEquals(EngineServerProcess.demoModel().toString(), props.path("model_path").asText());
        assertEquals(RAW_TEMPLATE, props.path("chat_template").asText());

        JsonNode tokens = JSON.readTree(post("/tokenize", "{\"content\":\"Hello\"}", KEY).body()).path("tokens");
        assertTrue(tokens.isArray() && tokens.size() >= 1 && tokens.get(0).isInt(), tokens.toString());
        JsonNode special = JSON.readTree(post("/tokenize", "{\"content\":\"Hello\",\"add_special\":true}", KEY).body())
                .path("tokens");
        assertEquals(tokens.size() + 1, special.size(), "add_special adds the BOS token");

        JsonNode prompt = JSON.readTree(post("/apply-template", "{\"messages\":[{\"role\":\"assistant\",\"content\":\"A\"},"
                + "{\"role\":\"user\",\"content\":\"Hello\"}]}", KEY).body());
        assertEquals("Hello", prompt.path("prompt").asText(), "the raw template passes the last message through");
    }

    @Test
    void twoSlotsServeTwoStreamsAtOnce() throws Exception {
        // The first stream holds its slot (its listener waits) while a second request is answered.
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<ChatResponse> first = new java.util.concurrent.atomic.AtomicReference<>();
        Thread holder = new Thread(() -> first.set(client.stream(ChatRequest.builder().user(DemoModels.LOOP_PROMPT)
                .temperature(0).maxTokens(40).build(), piece -> {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })), "slot-holder");
        holder.start();
        try {
            assertTrue(holding.await(60, java.util.concurrent.TimeUnit.SECONDS), "the first stream began");
            assertEquals(DemoModels.HELLO_ANSWER, client.chat(hello().build()).text());
        } finally {
            release.countDown();
            holder.join(60_000);
        }
        assertFalse(holder.isAlive());
        assertEquals(FinishReason.LENGTH, first.get().finishReason());
    }

    private static HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(engine.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(engine.baseUrl() + path)).timeout(Duration.ofSeconds(60));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
