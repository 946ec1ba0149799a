package dev.helios4j.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helios4j.Capability;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.ServerException;
import dev.helios4j.UnsupportedCapabilityException;
import dev.helios4j.Usage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * One embedding call on the caller's thread: the texts go to {@code POST /embeddings} in batches of
 * {@code openai.embed-batch}, each answer's vectors are put in the order of their {@code index},
 * usage is summed. Failures are mapped as for chats; connect failures, 429 and 5xx are retried
 * with the same backoff, since an embedding request can always be sent again.
 */
final class EmbedCall {
    private static final System.Logger LOG = System.getLogger(EmbedCall.class.getName());

    private final OpenAiEngine engine;
    private final OpenAiConfig config;
    private final ObjectMapper json;
    private final String model;
    private final long totalDeadline;

    EmbedCall(OpenAiEngine engine, ObjectMapper json) {
        this.engine = engine;
        this.config = engine.config();
        this.json = json;
        this.model = engine.embedSettings().model().isEmpty() ? config.model() : engine.embedSettings().model();
        this.totalDeadline = config.totalTimeout().isZero() ? 0 : System.nanoTime() + config.totalTimeout().toNanos();
    }

    EmbeddingResponse run(List<String> texts) {
        int batch = engine.embedSettings().batch();
        List<float[]> vectors = new ArrayList<>(texts.size());
        int promptTokens = 0;
        boolean usageKnown = true;
        String answeredBy = model;
        for (int from = 0; from < texts.size(); from += batch) {
            if (Thread.currentThread().isInterrupted()) {
                throw new GenerationCancelledException("");
            }
            List<String> part = texts.subList(from, Math.min(texts.size(), from + batch));
            JsonNode answer = send(part);
            vectors.addAll(vectors(answer, part.size()));
            JsonNode usage = answer.path("usage").path("prompt_tokens");
            if (usage.canConvertToInt() && usage.asInt() >= 0) {
                promptTokens += usage.asInt();
            } else {
                usageKnown = false;
            }
            answeredBy = answer.path("model").asText(answeredBy);
        }
        return new EmbeddingResponse(vectors, usageKnown ? Usage.of(promptTokens, 0) : Usage.UNKNOWN, answeredBy);
    }

    /** One batch's answer, after retries; a failure is an exception that names the server and says what to do. */
    private JsonNode send(List<String> part) {
        ObjectNode body = json.createObjectNode();
        if (!model.isEmpty()) {
            body.put("model", model);
        }
        ArrayNode input = body.putArray("input");
        part.forEach(input::add);
        body.put("encoding_format", "float");
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new LlmException("Could not write the embedding request: " + e.getMessage(), e);
        }
        for (int attempt = 0; ; attempt++) {
            HttpRequest.Builder request = engine.newRequest("/embeddings")
                    .header("Content-Type", "application/json").header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            long limit = limit();
            if (limit > 0) {
                request.timeout(Duration.ofNanos(limit));
            }
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
            try {
                response = engine.http().send(request.build(), HttpResponse.BodyHandlers.ofPublisher());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // send() has cancelled the exchange
                throw new GenerationCancelledException("");
            } catch (HttpTimeoutException e) {
                if (!(e instanceof HttpConnectTimeoutException)) {
                    throw timeout(e);
                }
                retryOrThrow(attempt, HttpErrors.unreachable(config, e), null);
                continue;
            } catch (IOException e) {
                retryOrThrow(attempt, HttpErrors.unreachable(config, e), null);
                continue;
            } catch (IllegalArgumentException e) {
                throw new LlmException("The request to " + config.displayUrl() + " failed: "
                        + config.redact(String.valueOf(e)), e);
            }
            byte[] answer = read(response);
            int status = response.statusCode();
            if (status >= 200 && status <= 299) {
                try {
                    return json.readTree(answer);
                } catch (IOException e) {
                    throw new ServerException("The server at " + config.displayUrl() + " answered /embeddings with "
                            + "something that is not JSON: " + config.redact(HttpErrors.excerpt(answer)), status,
                            config.redact(HttpErrors.excerpt(answer)), "");
                }
            }
            Duration hint = Backoff.retryAfter(response.headers(), Instant.now());
            LlmException failure = toException(status, answer, hint);
            if (status == 429 || status >= 500 && status != 501) {
                retryOrThrow(attempt, failure, hint);
                continue;
            }
            throw failure;
        }
    }

    /** As for chats, but a missing endpoint or a server that cannot embed says so in embedding terms. */
    private LlmException toException(int status, byte[] body, Duration hint) {
        String excerpt = config.redact(HttpErrors.excerpt(body));
        String said = excerpt.isEmpty() ? "" : ": " + excerpt;
        if (status == 501 || status == 405) {
            return new UnsupportedCapabilityException(Capability.EMBEDDINGS, HttpErrors.sentence("The server at "
                    + config.displayUrl() + " does not embed texts (HTTP " + status + ")" + said) + " Use a server or "
                    + "model made for embeddings (llama-server needs --embeddings).");
        }
        if (status == 404) {
            return new ModelNotFoundException(HttpErrors.sentence("The server at " + config.displayUrl() + " answered "
                    + "HTTP 404 to " + config.url().displayEndpoint("/embeddings") + " for the model '" + model + "'"
                    + said) + " Check that it serves embeddings and this model (client.models() lists them); set "
                    + EmbedSettings.MODEL + " to embed with another model than the client's.");
        }
        return HttpErrors.toException(config, model, status, body, hint, "");
    }

    private void retryOrThrow(int attempt, LlmException failure, Duration hint) {
        if (attempt >= config.maxRetries()) {
            throw failure;
        }
        Duration delay = Backoff.delay(attempt, config.initialBackoff(), hint);
        if (delay.compareTo(Backoff.LONGEST_WAIT) > 0
                || totalDeadline != 0 && System.nanoTime() + delay.toNanos() >= totalDeadline) {
            throw failure;
        }
        LOG.log(Level.INFO, () -> "Retrying the embedding request to " + config.displayUrl() + " in " + delay.toMillis()
                + " ms (retry " + (attempt + 1) + " of " + config.maxRetries() + "): " + failure.getMessage());
        try {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("");
        }
    }

    /** The whole body, up to {@code openai.limit.body}, under the first-byte and total limits. */
    private byte[] read(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
        BodyQueue queue = new BodyQueue();
        response.body().subscribe(queue);
        BodyBytes bytes = new BodyBytes(config.limits().body());
        long limit = limit();
        long deadline = limit == 0 ? 0 : System.nanoTime() + limit;
        try {
            return BodyBytes.readWhole(queue, bytes, deadline, full -> new ServerException(
                    "The server at " + config.displayUrl() + " answered /embeddings with "
                    + "more than " + Limits.show(full.limit()) + " (" + Limits.BODY + "); send fewer texts "
                    + "at once (" + EmbedSettings.BATCH + ") or raise it, e.g. -Dhelios4j." + Limits.BODY
                    + "=" + Limits.raised(full.limit()) + ".", response.statusCode(),
                    config.redact(HttpErrors.excerpt(full.head(4 * HttpErrors.EXCERPT_CHARS))), ""));
        } catch (BodyQueue.Silence e) {
            throw timeout(null);
        } catch (IOException e) {
            throw HttpErrors.unreachable(config, e);
        } finally {
            queue.cancel();
        }
    }

    /** Nanoseconds left for one exchange: the first-byte limit, within the total; 0 for none. */
    private long limit() {
        long firstByte = config.firstByteTimeout().toNanos();
        if (totalDeadline == 0) {
            return firstByte;
        }
        long left = Math.max(1, totalDeadline - System.nanoTime());
        return firstByte == 0 ? left : Math.min(firstByte, left);
    }

    private LlmTimeoutException timeout(Throwable cause) {
        return new LlmTimeoutException("The server at " + config.displayUrl() + " did not answer /embeddings in time "
                + "(openai.timeout.first-byte " + config.firstByteTimeout() + ", openai.timeout.total "
                + config.totalTimeout() + "); raise them, or send fewer texts at once (" + EmbedSettings.BATCH + ").",
                cause, "");
    }

    /** The vectors of one answer, placed by their {@code index}; every text must have exactly one. */
    private List<float[]> vectors(JsonNode answer, int expected) {
        JsonNode data = answer.path("data");
        if (!data.isArray()) {
            throw malformed("has no \"data\" list", answer);
        }
        float[][] byIndex = new float[expected][];
        int position = 0;
        for (JsonNode item : data) {
            int index = item.path("index").canConvertToInt() ? item.path("index").asInt() : position;
            position++;
            if (index < 0 || index >= expected || byIndex[index] != null) {
                throw malformed("gave the index " + index + " for " + expected + " texts", answer);
            }
            byIndex[index] = vector(item.path("embedding"), answer);
        }
        for (int i = 0; i < expected; i++) {
            if (byIndex[i] == null) {
                throw malformed("gave " + data.size() + " vectors for " + expected + " texts (none for text " + i + ")",
                        answer);
            }
        }
        return List.of(byIndex);
    }

    /** A list of numbers, or the base64 of little-endian floats that some servers send whatever was asked. */
    private float[] vector(JsonNode embedding, JsonNode answer) {
        if (embedding.isTextual()) {
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(embedding.asText());
            } catch (IllegalArgumentException e) {
                throw malformed("sent an embedding that is neither numbers nor base64", answer);
            }
            ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
            float[] v = new float[raw.length / 4];
            b.asFloatBuffer().get(v);
            return v;
        }
        if (!embedding.isArray() || embedding.isEmpty()) {
            throw malformed("sent an embedding that is not a list of numbers", answer);
        }
        if (embedding.get(0).isArray()) {
            throw malformed("sent one vector per token (the model pools nothing); start the server with a pooling "
                    + "type (llama-server: --pooling mean)", answer);
        }
        float[] v = new float[embedding.size()];
        for (int i = 0; i < v.length; i++) {
            JsonNode x = embedding.get(i);
            if (!x.isNumber()) {
                throw malformed("sent an embedding with a value that is not a number", answer);
            }
            v[i] = x.floatValue();
        }
        return v;
    }

    private ServerException malformed(String what, JsonNode answer) {
        String excerpt = config.redact(HttpErrors.excerpt(answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return new ServerException("The server at " + config.displayUrl() + " " + what + " in its /embeddings answer: "
                + excerpt, 200, excerpt, "");
    }
}
