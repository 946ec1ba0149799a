package dev.helios4j.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ServerException;
import dev.helios4j.StreamListener;
import dev.helios4j.internal.Format;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.EmbeddingEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A connection to one OpenAI-compatible server. Thread-safe: the HTTP client and parsers are
 * shared, and each call keeps its state in its own {@link ChatCall}.
 */
final class OpenAiEngine implements ChatEngine, EmbeddingEngine {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String CHAT_COMPLETIONS = "/chat/completions";

    private final OpenAiConfig config;
    private final HttpClient http;
    private final ExecutorService httpThreads = HttpThreads.newPool();
    private final RequestWriter writer = new RequestWriter(MAPPER);
    private final ChunkParser parser = new ChunkParser(MAPPER.getFactory());
    private final AtomicBoolean closed = new AtomicBoolean();
    private final EmbedSettings embedSettings;
    private final boolean jsonSchema;
    /** Parsed once: a URI parsed per call was about a tenth of a short call's own work. */
    private final URI chatCompletions;

    OpenAiEngine(OpenAiConfig config) {
        this(config, EmbedSettings.DEFAULT, true);
    }

    /** @param jsonSchema whether the server follows JSON-schema response formats ({@code openai.json-schema}) */
    OpenAiEngine(OpenAiConfig config, EmbedSettings embedSettings, boolean jsonSchema) {
        this.jsonSchema = jsonSchema;
        this.config = config;
        this.embedSettings = embedSettings;
        this.chatCompletions = config.endpoint(CHAT_COMPLETIONS);
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).executor(httpThreads).build();
        parser.warmUp();
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        ensureOpen();
        return new ChatCall(this, request, listener).run();
    }

    /** A server that refuses the format with a 400 naming it is noticed by the typed-answer layer, which then stops sending it. */
    @Override
    public boolean followsJsonSchema() {
        return jsonSchema;
    }

    /** The server's {@code GET /models}; empty when it has no such endpoint. */
    @Override
    public List<String> models() {
        ensureOpen();
        Duration limit = config.firstByteTimeout().isZero() ? Duration.ofMinutes(1) : config.firstByteTimeout();
        long deadline = System.nanoTime() + limit.toNanos();
        HttpRequest request = newRequest("/models").header("Accept", "application/json").timeout(limit).GET().build();
        BodyQueue queue = new BodyQueue();
        HttpResponse<Void> response;
        byte[] body;
        BodyBytes bytes = new BodyBytes(config.limits().body());
        try {
            try {
                response = http.send(request, info -> queue); // see ChatCall.awaitHeaders
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // send() has cancelled the exchange
                throw new GenerationCancelledException("");
            } catch (HttpTimeoutException e) {
                throw e instanceof HttpConnectTimeoutException ? HttpErrors.unreachable(config, e) : modelsTimeout(limit, e);
            } catch (IOException | IllegalArgumentException e) {
                throw HttpErrors.unreachable(config, e);
            }
            body = BodyBytes.readWhole(queue, bytes, deadline, full -> new ServerException(
                    "The server at " + config.displayUrl() + " answered /models with "
                    + "more than " + Limits.show(full.limit()) + " (" + Limits.BODY + "); raise it, e.g. "
                    + "-Dhelios4j." + Limits.BODY + "=" + Limits.raised(full.limit()) + ", if this server "
                    + "really lists that much.", 200,
                    config.redact(HttpErrors.excerpt(full.head(4 * HttpErrors.EXCERPT_CHARS))), ""));
        } catch (BodyQueue.Silence e) {
            throw modelsTimeout(limit, null);
        } catch (IOException e) {
            throw HttpErrors.unreachable(config, e);
        } finally {
            queue.cancel();
        }
        int status = response.statusCode();
        if (status == 404 || status == 405) {
            return List.of();
        }
        if (status < 200 || status > 299) {
            throw HttpErrors.toException(config, config.model(), status, body,
                    Backoff.retryAfter(response.headers(), Instant.now()), "");
        }
        try {
            List<String> names = new ArrayList<>();
            for (JsonNode model : MAPPER.readTree(body).path("data")) {
                String id = model.path("id").asText("");
                if (!id.isEmpty()) {
                    names.add(id);
                }
            }
            return List.copyOf(names);
        } catch (IOException e) {
            throw new LlmException("The server at " + config.displayUrl() + " answered /models with something that is not "
                    + "JSON: " + config.redact(HttpErrors.excerpt(body)), e);
        }
    }

    /** {@code POST /embeddings}, in batches of {@code openai.embed-batch}. */
    @Override
    public EmbeddingResponse embed(List<String> texts) {
        ensureOpen();
        return new EmbedCall(this, MAPPER).run(texts);
    }

    EmbedSettings embedSettings() {
        return embedSettings;
    }

    private LlmTimeoutException modelsTimeout(Duration limit, Throwable cause) {
        return new LlmTimeoutException("The server at " + config.displayUrl() + " did not list its models within "
                + Format.duration(limit) + " (openai.timeout.first-byte).", cause, "");
    }

    /** A server serves many calls at once; 8 keeps one busy without flooding it (a batch may say more). */
    @Override
    public int suggestedConcurrency() {
        return 8;
    }

    @Override
    public void close() {
        // The JDK 17 HttpClient has no close(); its selector thread ends when it is collected, and
        // its workers end here rather than after their idle time (a notebook may open many clients).
        if (closed.compareAndSet(false, true)) {
            httpThreads.shutdown();
        }
    }

    @Override
    public String toString() {
        return "OpenAiEngine[" + config + (closed.get() ? ", closed]" : "]");
    }

    /** A request to {@code baseUrl + path} with the key and extra headers; the key goes whatever the host. */
    HttpRequest.Builder newRequest(String path) {
        URI uri = path.equals(CHAT_COMPLETIONS) ? chatCompletions : config.endpoint(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("User-Agent", "helios4j");
        if (config.baseUrl().regionMatches(true, 0, "http:", 0, 5)) {
            // Plain http: skip the JDK's h2c upgrade attempt, which some Python servers mishandle.
            b.version(HttpClient.Version.HTTP_1_1);
        }
        if (config.apiKey() != null) {
            b.header("Authorization", "Bearer " + config.apiKey().reveal());
        }
        config.headers().forEach(b::setHeader);
        return b;
    }

    OpenAiConfig config() {
        return config;
    }

    HttpClient http() {
        return http;
    }

    RequestWriter writer() {
        return writer;
    }

    ChunkParser parser() {
        return parser;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new LlmException("This OpenAI-compatible engine (" + config.displayUrl() + ") is closed; open a new "
                    + "client with Llm.open(\"openai:MODEL\").");
        }
    }
}
