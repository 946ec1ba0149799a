package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's answers have the shape of a real llama-server's, event by event and field by field
 * in order: transcripts recorded from llama-server serving the same demo model with the same
 * flags (src/test/resources/engine) against the engine's answers to the same requests. Values that
 * differ by nature (ids, times, counts) are not compared; the fields helios4j cannot know (how much
 * of the prompt came from llama.cpp's cache) are named below.
 */
class EngineServerTranscriptTest {
    /** Prompt-cache counts: the in-process engine does not learn them from the binding. */
    private static final Set<String> UNKNOWN_TO_HELIOS4J = Set.of("usage.prompt_tokens_details",
            "usage.prompt_tokens_details.cached_tokens", "timings.cache_n");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EngineServerProcess engine;

    @BeforeAll
    static void start() throws Exception {
        engine = EngineServerProcess.startDemo("--api-key", EngineServerTest.KEY, "--alias", "demo", "--jinja",
                "--chat-template", EngineServerTest.RAW_TEMPLATE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void streamWithUsageHasLlamaServersShape() throws Exception {
        compareStreams("llama-server-stream-usage.sse", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    }

    @Test
    void streamWithoutUsageHasLlamaServersShape() throws Exception {
        compareStreams("llama-server-stream.sse", ",\"stream\":true");
    }

    @Test
    void blockingAnswerHasLlamaServersShape() throws Exception {
        JsonNode recorded = JSON.readTree(resource("llama-server-blocking.json"));
        JsonNode served = JSON.readTree(post(""));
        assertEquals(shape(recorded), shape(served));
        assertEquals(recorded.at("/choices/0/message/content"), served.at("/choices/0/message/content"));
    }

    private void compareStreams(String transcript, String extra) throws Exception {
        List<String> recorded = events(resource(transcript));
        List<String> served = events(post(extra));
        assertEquals("[DONE]", recorded.get(recorded.size() - 1));
        assertEquals("[DONE]", served.get(served.size() - 1));
        int tail = transcript.contains("usage") ? 2 : 1; // the finish chunk, and the usage chunk when asked for
        // The role chunk, then content chunks, then the closing chunks, shaped alike.
        assertEquals(shape(JSON.readTree(recorded.get(0))), shape(JSON.readTree(served.get(0))), "the role chunk");
        for (String content : served.subList(1, served.size() - 1 - tail)) {
            assertEquals(shape(JSON.readTree(recorded.get(1))), shape(JSON.readTree(content)), "a content chunk");
        }
        for (int i = tail; i >= 1; i--) {
            JsonNode r = JSON.readTree(recorded.get(recorded.size() - 1 - i));
            JsonNode s = JSON.readTree(served.get(served.size() - 1 - i));
            assertEquals(shape(r), shape(s), "closing chunk " + (tail - i + 1));
            assertEquals(r.at("/choices/0/finish_reason"), s.at("/choices/0/finish_reason"));
        }
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        recorded.subList(1, recorded.size() - 1).forEach(e -> a.append(text(e)));
        served.subList(1, served.size() - 1).forEach(e -> b.append(text(e)));
        assertEquals(a.toString(), b.toString(), "the same answer");
    }

    private static String text(String event) {
        try {
            return JSON.readTree(event).at("/choices/0/delta/content").asText("");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Every field's path and JSON type, in document order, without the fields named above. */
    private static List<String> shape(JsonNode node) {
        List<String> out = new ArrayList<>();
        walk("", node, out);
        assertTrue(!out.isEmpty());
        return out;
    }

    private static void walk(String path, JsonNode node, List<String> out) {
        if (UNKNOWN_TO_HELIOS4J.contains(path)) {
            return;
        }
        out.add(path + ":" + node.getNodeType());
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                walk(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                walk(path + "[]", item, out);
            }
        }
    }

    private static List<String> events(String sse) {
        List<String> events = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            } else {
                assertTrue(line.isEmpty() || line.startsWith(":"), "not an SSE data line: " + line);
            }
        }
        return events;
    }

    private static String post(String extra) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(engine.baseUrl() + "/v1/chat/completions")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + EngineServerTest.KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                        + "\"temperature\":0" + extra + "}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = EngineServerTranscriptTest.class.getResourceAsStream("/engine/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
