package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.LlmException;
import dev.helios4j.Secret;
import dev.helios4j.internal.Format;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The few llama-server endpoints that are not OpenAI's ({@code /health}, {@code /props},
 * {@code /apply-template}, {@code /tokenize}), on one engine. Every wait is interruptible.
 */
final class EngineHttp {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /**
     * One client for every engine: its selector thread is a daemon. Calls use the blocking,
     * interruptible {@code send}: {@code sendAsync}'s completions would start a thread per call
     * on a 2-CPU machine (the remote provider measured it), and the start-up health poll calls often.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Duration CALL_LIMIT = Duration.ofMinutes(2);

    private final String base;
    private final Secret key;

    EngineHttp(int port, Secret key) {
        this.base = "http://127.0.0.1:" + port;
        this.key = key;
    }

    String base() {
        return base;
    }

    /**
     * @return the status of {@code GET /health}, or -1 when nothing answers (not yet listening)
     * @throws InterruptedException when the caller is interrupted
     */
    int health() throws InterruptedException {
        try {
            return HTTP.send(request("/health").timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    JsonNode get(String path) {
        return call(path, request(path).GET().build());
    }

    JsonNode post(String path, Object body) {
        byte[] json;
        try {
            json = MAPPER.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new LlmException("Cannot write the request for " + path + ": " + e.getMessage(), e);
        }
        return postJson(path, json);
    }

    JsonNode postJson(String path, byte[] json) {
        return call(path, request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build());
    }

    private JsonNode call(String path, HttpRequest request) {
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("");
        } catch (HttpTimeoutException e) {
            throw new LlmException("The engine at " + base + " did not answer " + path + " within "
                    + Format.duration(CALL_LIMIT) + ".");
        } catch (IOException e) {
            throw new LlmException("The engine at " + base + " did not answer " + path + ": "
                    + key.redact(String.valueOf(e)), e);
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() != 200) {
            String excerpt = body.length() > 300 ? body.substring(0, 300) + "..." : body;
            throw new LlmException("The engine at " + base + " answered " + path + " with HTTP " + response.statusCode()
                    + ": " + key.redact(excerpt.strip()));
        }
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new LlmException("The engine at " + base + " answered " + path + " with something that is not JSON: "
                    + key.redact(body.length() > 300 ? body.substring(0, 300) : body), e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(CALL_LIMIT)
                .header("Authorization", "Bearer " + key.reveal());
    }
}
