package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.LlmException;
import dev.helios4j.StreamListener;
import dev.helios4j.Timings;
import dev.helios4j.remote.internal.MessagesJson;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.EmbeddingEngine;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One client's view of a shared engine process. Chats go through the remote provider's client
 * (streaming, usage, stop sequences, interrupts with the partial text kept); a call the engine's
 * death cut short fails saying how it died, and the next call starts a new engine. Thread-safe.
 */
final class ServerEngine implements ChatEngine, EmbeddingEngine {
    private final SharedEngine shared;
    private final String name;
    private final Duration keepAlive;
    private final Supplier<List<String>> catalogue;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Opens the engine that embeds for this one; null when this one embeds itself. */
    private final Embedder embedder;
    private ChatEngine embedding; // guarded by this; opened on the first embedding call

    /** Opens a client on another engine process, one started for embeddings. */
    interface Embedder {
        ChatEngine open();
    }

    ServerEngine(SharedEngine shared, String name, Duration keepAlive, Supplier<List<String>> catalogue,
                 Embedder embedder) {
        this.shared = shared;
        this.name = name;
        this.keepAlive = keepAlive;
        this.catalogue = catalogue;
        this.embedder = embedder;
    }

    /**
     * The engine's {@code /v1/embeddings}. helios4j's Java engine loads the model for embeddings
     * beside the chat one, in the same process; a llama-server needs {@code --embeddings}, which
     * older versions allow for embedding models only, so it embeds in a second llama-server
     * started with that flag, on the first call, and kept as long as this client.
     */
    @Override
    public EmbeddingResponse embed(List<String> texts) {
        ensureOpen();
        if (embedder != null) {
            return ((EmbeddingEngine) embeddingEngine()).embed(texts);
        }
        SharedEngine.Running r = shared.running(true);
        try {
            return ((EmbeddingEngine) r.client).embed(texts);
        } catch (GenerationCancelledException e) {
            throw e;
        } catch (LlmException e) {
            throw shared.failed(r, e);
        }
    }

    private synchronized ChatEngine embeddingEngine() {
        if (embedding == null) {
            embedding = embedder.open();
        }
        return embedding;
    }

    /** Streams, as in-process does, so a whole answer reports its time to first token too. */
    @Override
    public ChatResponse chat(ChatRequest request) {
        long start = System.nanoTime();
        long[] firstPieceAt = {0};
        ChatResponse response = stream(request, piece -> {
            if (firstPieceAt[0] == 0) {
                firstPieceAt[0] = Math.max(System.nanoTime(), start + 1);
            }
        });
        Timings t = response.timings();
        return t.timeToFirstToken() != null || firstPieceAt[0] == 0 ? response
                : response.withTimings(new Timings(Duration.ofNanos(firstPieceAt[0] - start), t.total(), t.tokensPerSecond()));
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        ensureOpen();
        SharedEngine.Running r = shared.running(true);
        try {
            return r.client.stream(request, listener);
        } catch (GenerationCancelledException e) {
            throw e;
        } catch (LlmException e) {
            throw shared.failed(r, e);
        }
    }

    /** The engine process turns a JSON-schema response format into a grammar, and llama-server does so itself. */
    @Override
    public boolean followsJsonSchema() {
        return true;
    }

    /** The engine's own template and tokenizer: {@code /apply-template}, then {@code /tokenize} as a chat call would. */
    @Override
    public OptionalInt countTokens(List<ChatMessage> messages) {
        ensureOpen();
        SharedEngine.Running r = shared.running(true);
        try {
            String prompt = r.process.http().postJson("/apply-template", MessagesJson.templateRequest(messages)).path("prompt").asText("");
            JsonNode tokens = r.process.http().post("/tokenize",
                    Map.of("content", prompt, "add_special", true, "parse_special", true)).path("tokens");
            return OptionalInt.of(tokens.size());
        } catch (GenerationCancelledException e) {
            throw e;
        } catch (LlmException e) {
            throw shared.failed(r, e);
        }
    }

    /** The context each slot holds, from {@code /props}. */
    @Override
    public OptionalInt contextLength() {
        ensureOpen();
        SharedEngine.Running r = shared.running(true);
        try {
            return r.context();
        } catch (GenerationCancelledException e) {
            throw e;
        } catch (LlmException e) {
            throw shared.failed(r, e);
        }
    }

    /**
     * The engine's slots ({@code llamacpp.parallel}, or a user's llama-server's {@code -np}), so a
     * batch keeps each one busy and no more. Starts the engine if none runs, as the batch's first
     * call would; 1 if that fails (the batch's rows then report why).
     */
    @Override
    public int suggestedConcurrency() {
        ensureOpen();
        try {
            return shared.running(false).slots();
        } catch (GenerationCancelledException e) {
            throw e;
        } catch (LlmException e) {
            return 1;
        }
    }

    @Override
    public List<String> models() {
        ensureOpen();
        return catalogue.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            EngineRegistry.release(shared, keepAlive);
            synchronized (this) {
                if (embedding != null) {
                    embedding.close();
                }
            }
        }
    }

    SharedEngine shared() {
        return shared;
    }

    /** @return the process of the second engine that embeds for this one, once started; for tests */
    synchronized java.util.Optional<EngineProcess> embeddingProcess() {
        return embedding == null ? java.util.Optional.empty() : EngineRegistry.processOf(embedding);
    }

    @Override
    public String toString() {
        return "ServerEngine[" + name + (closed.get() ? ", closed]" : "]");
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new LlmException("This llamacpp client (" + name + ") is closed; open a new one with Llm.open.");
        }
    }
}
