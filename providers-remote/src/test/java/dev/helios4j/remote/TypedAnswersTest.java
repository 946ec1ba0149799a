package dev.helios4j.remote;

import static dev.helios4j.testkit.ProviderConformanceKit.ADA;
import static dev.helios4j.testkit.ProviderConformanceKit.ADA_JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.ChatRequest;
import dev.helios4j.InvalidAnswerException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import dev.helios4j.testkit.ProviderConformanceKit.Field;
import dev.helios4j.testkit.ProviderConformanceKit.Person;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Typed answers against a server on loopback that speaks OpenAI's exact formats: one that follows
 * {@code response_format: json_schema}, and one that refuses it with the 400 OpenAI sends for
 * models without structured outputs.
 */
class TypedAnswersTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** OpenAI's answer when a model lacks structured outputs (its documentation link left out). */
    private static final String REFUSED = "{\"error\":{\"message\":\"Invalid parameter: 'response_format' of type "
            + "'json_schema' is not supported with this model.\",\"type\":\"invalid_request_error\","
            + "\"param\":\"response_format\",\"code\":null}}";

    private LoopbackServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void withJsonSchemaTheSchemaIsSentAsAStrictResponseFormat() throws Exception {
        try (LlmClient llm = open(new Scripted(false, ADA_JSON), Map.of())) {
            assertEquals(ADA, llm.chat("Who was Ada Lovelace?", Person.class));
        }
        JsonNode body = nextBody();
        JsonNode format = body.get("response_format");
        assertEquals("json_schema", format.get("type").asText());
        assertEquals("Person", format.at("/json_schema/name").asText());
        assertTrue(format.at("/json_schema/strict").asBoolean(), format.toString());
        JsonNode schema = format.at("/json_schema/schema");
        assertEquals(JSON.readTree("[\"name\",\"born\",\"field\",\"city\",\"languages\"]"), schema.get("required"));
        assertEquals(JSON.readTree("[\"MATHEMATICS\",\"PHYSICS\",\"POETRY\"]"), schema.at("/properties/field/enum"));
        assertEquals("object", schema.at("/properties/city/type").asText());
        assertFalse(schema.at("/properties/city/additionalProperties").asBoolean(true));
        assertEquals(1, body.get("messages").size(), "no schema in the messages when the server follows it");
        assertNull(server.requests.poll(), "one request");
    }

    @Test
    void aServerThatRefusesJsonSchemaGetsTheSchemaInTheSystemMessageFromThenOn() throws Exception {
        try (LlmClient llm = open(new Scripted(true, ADA_JSON, ADA_JSON), Map.of())) {
            assertEquals(ADA, llm.chat("Who was Ada Lovelace?", Person.class));
            assertEquals("json_schema", nextBody().at("/response_format/type").asText(), "tried first");
            assertFallbackRequest(nextBody());

            assertEquals(ADA, llm.chat("Who was Ada Lovelace?", Person.class));
            assertFallbackRequest(nextBody());
            assertNull(server.requests.poll(), "the refusal is remembered: no second refused request");
        }
    }

    @Test
    void theSettingSendsTheSchemaInTheSystemMessageAtOnce() throws Exception {
        try (LlmClient llm = open(new Scripted(true, ADA_JSON), Map.of("openai.json-schema", "false"))) {
            assertEquals(ADA, llm.chat("Who was Ada Lovelace?", Person.class));
        }
        assertFallbackRequest(nextBody());
        assertNull(server.requests.poll(), "one request");
    }

    @Test
    void anAnswerThatDoesNotFitIsSentBackOnceWithTheProblem() throws Exception {
        String wrong = ADA_JSON.replace("\"MATHEMATICS\"", "\"MATHS\"");
        try (LlmClient llm = open(new Scripted(false, wrong, ADA_JSON), Map.of())) {
            assertEquals(ADA, llm.chat(ChatRequest.builder().system("Be exact.").user("Who was Ada Lovelace?").build(),
                    Person.class));
        }
        nextBody();
        JsonNode retry = nextBody().get("messages");
        assertEquals(4, retry.size(), retry.toString());
        assertEquals("Be exact.", retry.get(0).get("content").asText());
        assertEquals("assistant", retry.get(2).get("role").asText());
        assertEquals(wrong, retry.get(2).get("content").asText());
        assertEquals("That answer does not fit: $.field: \"MATHS\" is not one of MATHEMATICS, PHYSICS, POETRY. "
                + "Answer again with only the corrected JSON object, nothing else.", retry.get(3).get("content").asText());
    }

    @Test
    void anAnswerThatFailsTwiceCarriesItsRawText() throws Exception {
        String prose = "Ada Lovelace was born in 1815.";
        String fenced = "```json\n{\"name\": \"Ada Lovelace\", \"born\": \"1815\"}\n```";
        try (LlmClient llm = open(new Scripted(false, prose, fenced), Map.of())) {
            InvalidAnswerException e = assertThrows(InvalidAnswerException.class,
                    () -> llm.chat("Who was Ada Lovelace?", Person.class));
            assertEquals(fenced, e.rawText());
            assertEquals(fenced, e.partialText());
            assertTrue(e.getMessage().startsWith("The model's answer does not fit Person, also when asked a second time: "
                    + "$.born: expected an integer, got \"1815\"; $.field: missing;"), e.getMessage());
            assertTrue(e.getMessage().contains("rawText()"), e.getMessage());
        }
        assertTrue(nextBody().get("messages").size() == 1);
        JsonNode retry = nextBody().get("messages");
        assertEquals("That answer does not fit: the answer holds no JSON object. Answer again with only the corrected "
                + "JSON object, nothing else.", retry.get(2).get("content").asText());
        assertNull(server.requests.poll(), "exactly one retry");
    }

    @Test
    void streamingShowsTheRawPiecesAndReturnsTheValue() throws Exception {
        List<String> pieces = new ArrayList<>();
        try (LlmClient llm = open(new Scripted(false, ADA_JSON), Map.of())) {
            Person p = llm.stream(ChatRequest.of("Who was Ada Lovelace?"), Person.class, pieces::add);
            assertEquals(Field.MATHEMATICS, p.field());
            assertEquals(ADA, p);
        }
        assertTrue(pieces.size() > 5, pieces.toString());
        assertEquals(ADA_JSON, String.join("", pieces));
    }

    private static void assertFallbackRequest(JsonNode body) {
        assertFalse(body.has("response_format"), body.toString());
        JsonNode system = body.get("messages").get(0);
        assertEquals("system", system.get("role").asText());
        assertTrue(system.get("content").asText().startsWith("Answer with one JSON object only"), system.toString());
        assertTrue(system.get("content").asText().contains("\"enum\":[\"MATHEMATICS\",\"PHYSICS\",\"POETRY\"]"));
    }

    private JsonNode nextBody() throws Exception {
        LoopbackServer.Request r = server.requests.poll(10, TimeUnit.SECONDS);
        assertNotNull(r, "no request reached the server");
        return JSON.readTree(r.body());
    }

    private LlmClient open(Scripted model, Map<String, String> more) throws Exception {
        server = new LoopbackServer(model);
        Settings settings = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"))
                .with("openai.base-url", server.baseUrl()).with("openai.retries", "0");
        for (Map.Entry<String, String> e : more.entrySet()) {
            settings = settings.with(e.getKey(), e.getValue());
        }
        return Llm.open("openai:gpt-4o-mini", settings);
    }

    /**
     * Answers each chat request with the next scripted text, streamed word by word in OpenAI's
     * chunk format; with {@code refusesJsonSchema}, a request carrying a json_schema response
     * format gets OpenAI's 400 instead.
     */
    private static final class Scripted implements LoopbackServer.Handler {
        private final boolean refusesJsonSchema;
        private final BlockingQueue<String> answers;

        Scripted(boolean refusesJsonSchema, String... answers) {
            this.refusesJsonSchema = refusesJsonSchema;
            this.answers = new LinkedBlockingQueue<>(List.of(answers));
        }

        @Override
        public void handle(LoopbackServer.Request request, LoopbackServer.Exchange exchange) throws Exception {
            JsonNode body = JSON.readTree(request.body());
            if (refusesJsonSchema && body.path("response_format").path("type").asText().equals("json_schema")) {
                exchange.respond(400, "application/json", REFUSED);
                return;
            }
            String answer = answers.poll();
            if (answer == null) {
                exchange.respond(500, "application/json", "{\"error\":{\"message\":\"the script is over\"}}");
                return;
            }
            exchange.startStream(200, "text/event-stream; charset=utf-8");
            exchange.send(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (String token : FakeModel.tokens(answer)) {
                exchange.send(chunk("{\"content\":" + JSON.writeValueAsString(token) + "}", null));
            }
            exchange.send(chunk("{}", "stop"));
            exchange.send("data: [DONE]\n\n");
            exchange.end();
        }

        private static String chunk(String delta, String finish) {
            return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
                    + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                    + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
        }
    }
}
