package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.AuthenticationException;
import dev.helios4j.Capability;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.Embeddings;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.ServerException;
import dev.helios4j.UnsupportedCapabilityException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code POST /embeddings} in OpenAI's exact format, on a real HTTP server on loopback. */
class EmbeddingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-Zq8v2LmN4pR6tY1uW3xA5cE7gI9kO0";
    private static final List<String> TEXTS = List.of("The sky is blue.", "The sky is grey.", "Hello world!",
            "Count to ten.", "blue sky");

    @Test
    void sendsOpenAisRequestAndReadsItsAnswerInIndexOrder() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0));
             LlmClient client = Transcripts.client(server, "openai.api-key", KEY)) {
            assertTrue(client.capabilities().contains(Capability.EMBEDDINGS));
            EmbeddingResponse r = client.embeddings(TEXTS.subList(0, 3));
            LoopbackServer.Request request = server.requests.poll(5, TimeUnit.SECONDS);
            assertEquals("POST", request.method());
            assertEquals("/v1/embeddings", request.path());
            assertEquals("Bearer " + KEY, request.headers().get("authorization"));
            assertEquals("application/json", request.headers().get("content-type"));
            JsonNode sent = JSON.readTree(request.body());
            assertEquals(JSON.readTree("{\"model\":\"test-model\",\"input\":[\"The sky is blue.\","
                    + "\"The sky is grey.\",\"Hello world!\"],\"encoding_format\":\"float\"}"), sent);

            assertEquals(3, r.vectors().size());
            assertEquals(8, r.dimensions());
            assertEquals("test-model", r.model());
            assertEquals(4 + 4 + 2, r.usage().promptTokens(), "usage as the server counted it: " + r.usage());
            assertEquals(0, r.usage().completionTokens());
            // The server lists the vectors last first; each must still land on its own text.
            for (int i = 0; i < 3; i++) {
                assertEquals(1.0, Embeddings.cosine(r.vectors().get(i), client.embed(TEXTS.get(i))), 1e-6, "text " + i);
            }
            float[][] v = client.embed(TEXTS.subList(0, 3));
            assertTrue(Embeddings.cosine(v[0], v[1]) > Embeddings.cosine(v[0], v[2]), "sky texts are nearer each other");
        }
    }

    @Test
    void longListsGoInBatchesOfTheSetLimitAndUsageIsSummed() throws Exception {
        try (LoopbackServer server = new LoopbackServer(new FakeModel(0));
             LlmClient client = Transcripts.client(server, "openai.embed-batch", "2")) {
            EmbeddingResponse r = client.embeddings(TEXTS);
            List<Integer> batches = new ArrayList<>();
            LoopbackServer.Request request;
            while ((request = server.requests.poll()) != null) {
                batches.add(JSON.readTree(request.body()).path("input").size());
            }
            assertEquals(List.of(2, 2, 1), batches);
            assertEquals(5, r.vectors().size());
            int words = 0;
            for (int i = 0; i < TEXTS.size(); i++) {
                words += TEXTS.get(i).split("\\s+").length;
                assertEquals(1.0, Embeddings.cosine(r.vectors().get(i), client.embed(TEXTS.get(i))), 1e-6, "text " + i);
            }
            assertEquals(words, r.usage().promptTokens());
        }
    }

    @Test
    void anotherModelCanEmbedAndBase64AnswersAreRead() throws Exception {
        float[] expected = {0.5f, -0.25f, 1e-3f};
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : expected) {
            b.putFloat(x);
        }
        String base64 = Base64.getEncoder().encodeToString(b.array());
        LoopbackServer.Handler handler = (request, exchange) -> exchange.respond(200, "application/json",
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":\"" + base64 + "\"}],"
                        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}");
        try (LoopbackServer server = new LoopbackServer(handler);
             LlmClient client = Transcripts.client(server, "openai.embed-model", "text-embedding-3-small")) {
            assertArrayEquals(expected, client.embed("Hi there"));
            assertEquals("text-embedding-3-small",
                    JSON.readTree(server.requests.poll(5, TimeUnit.SECONDS).body()).path("model").asText());
        }
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}")
    @CsvSource({
        "400, InvalidRequestException",
        "401, AuthenticationException",
        "404, ModelNotFoundException",
        "501, UnsupportedCapabilityException",
        "500, ServerException"})
    void errorsAreMappedAsForChats(int status, String type) throws Exception {
        LoopbackServer.Handler failing = (request, exchange) -> exchange.respond(status, "application/json",
                "{\"error\":{\"message\":\"the server's own words " + KEY + "\",\"type\":\"x\",\"code\":null}}");
        try (LoopbackServer server = new LoopbackServer(failing);
             LlmClient client = Transcripts.client(server, "openai.retries", "0", "openai.api-key", KEY)) {
            LlmException e = assertThrows(LlmException.class, () -> client.embed(List.of("a", "b")));
            Class<?> expected = switch (type) {
                case "InvalidRequestException" -> InvalidRequestException.class;
                case "AuthenticationException" -> AuthenticationException.class;
                case "ModelNotFoundException" -> ModelNotFoundException.class;
                case "UnsupportedCapabilityException" -> UnsupportedCapabilityException.class;
                default -> ServerException.class;
            };
            assertEquals(expected, e.getClass(), e.getMessage());
            assertTrue(e.getMessage().contains("the server's own words"), e.getMessage());
            assertTrue(e.getMessage().contains(server.baseUrl()), "the message names the server: " + e.getMessage());
            assertFalse(e.getMessage().contains(KEY), "never the key: " + e.getMessage());
        }
    }

    @Test
    void aServerErrorIsRetriedThenAnswered() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        LoopbackServer.Handler flaky = (request, exchange) -> {
            if (calls.incrementAndGet() == 1) {
                exchange.respond(503, "application/json", "{\"error\":{\"message\":\"busy\"}}");
            } else {
                exchange.respond(200, "application/json", FakeModel.embeddings(JSON.readTree(request.body())));
            }
        };
        try (LoopbackServer server = new LoopbackServer(flaky);
             LlmClient client = Transcripts.client(server, "openai.retries", "1", "openai.retry.initial-backoff", "1ms")) {
            assertEquals(2, client.embed(List.of("a", "b")).length);
            assertEquals(2, calls.get());
        }
    }

    @Test
    void anAnswerMissingAVectorIsAServerError() throws Exception {
        LoopbackServer.Handler shortAnswer = (request, exchange) -> exchange.respond(200, "application/json",
                "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":1,\"embedding\":[0.1,0.2]}],"
                        + "\"model\":\"m\",\"usage\":{\"prompt_tokens\":2,\"total_tokens\":2}}");
        try (LoopbackServer server = new LoopbackServer(shortAnswer);
             LlmClient client = Transcripts.client(server)) {
            ServerException e = assertThrows(ServerException.class, () -> client.embed(List.of("a", "b")));
            assertTrue(e.getMessage().contains("gave 1 vectors for 2 texts (none for text 0)"), e.getMessage());
        }
    }

    @Test
    void severalServersEmbedToo_aFailingOneIsPassedOver() throws Exception {
        AtomicInteger failed = new AtomicInteger();
        LoopbackServer.Handler down = (request, exchange) -> {
            failed.incrementAndGet();
            exchange.respond(503, "application/json", "{\"error\":{\"message\":\"down for maintenance\"}}");
        };
        try (LoopbackServer bad = new LoopbackServer(down);
             LoopbackServer good = new LoopbackServer(new FakeModel(0));
             LlmClient client = Transcripts.client(good, "openai.base-url", bad.baseUrl() + "," + good.baseUrl())) {
            assertTrue(client.capabilities().contains(Capability.EMBEDDINGS));
            for (int round = 0; round < 4; round++) {
                float[][] v = client.embed(TEXTS);
                assertEquals(TEXTS.size(), v.length, "round " + round);
                assertEquals(1.0, Embeddings.cosine(v[4], client.embed(TEXTS.get(4))), 1e-6, "round " + round);
            }
            assertTrue(failed.get() >= 1 && failed.get() <= 2,
                    "the failing server is tried, then left out of the rotation: " + failed.get() + " calls");
        }
    }

    @Test
    void aBadBatchSettingIsRefusedByName() {
        LlmException e = assertThrows(LlmException.class, () -> dev.helios4j.Llm.open("openai:m", Transcripts.NO_CONFIG
                .with("openai.base-url", "http://127.0.0.1:9/v1").with("openai.embed-batch", "0")));
        assertInstanceOf(InvalidRequestException.class, e);
        assertTrue(e.getMessage().contains("openai.embed-batch"), e.getMessage());
    }
}
