package dev.helios4j.local.internal;

import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaOutput;
import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.ContextLengthExceededException;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmException;
import dev.helios4j.Settings;
import dev.helios4j.StreamListener;
import dev.helios4j.Timings;
import dev.helios4j.Usage;
import dev.helios4j.local.internal.gguf.GgufHeader;
import dev.helios4j.remote.internal.MessagesJson;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.EmbeddingEngine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's view of a shared loaded model. Thread-safe; requests queue for the model's slots.
 *
 * <p>Public only for helios4j's own engine process ({@code dev.helios4j.local.internal.engine.EngineServer}),
 * which serves a model over HTTP from a JVM of its own: open models with {@code Llm.open} instead.
 */
public final class LlamaEngine implements ChatEngine, EmbeddingEngine {
    private final LoadedModel model;
    private final java.util.function.Supplier<List<String>> catalogue;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The physical batch java-llama.cpp sets up (its default); a longer text is refused by llama.cpp. */
    static final int EMBEDDING_BATCH = 512;
    /** Loads the model for embeddings; called once, on the first embedding call. */
    private final java.util.function.Supplier<LoadedModel> embeddingLoader;
    private LoadedModel embedder; // guarded by this

    public LlamaEngine(LoadedModel model, java.util.function.Supplier<List<String>> catalogue,
                java.util.function.Supplier<LoadedModel> embeddingLoader) {
        this.model = model;
        this.catalogue = catalogue;
        this.embeddingLoader = embeddingLoader;
    }

    /**
     * Loads a model in this JVM, as the provider does, for the engine process.
     *
     * @param model a GGUF file path (or {@code demo}), checked in Java before llama.cpp reads it
     * @param name the name answers carry
     * @param settings {@code llamacpp.*} settings, as for the provider
     * @throws LlmException when the file or a setting is bad or llama.cpp cannot load it
     */
    public static LlamaEngine load(String model, String name, Settings settings) {
        LocalOptions options = LocalOptions.from(settings);
        GgufHeader header = ModelSource.resolve(model, settings, options, true);
        return new LlamaEngine(SharedModels.acquire(header.file(), name, header, options), () -> List.of(name),
                () -> SharedModels.acquireForEmbeddings(header.file(), name, header, options));
    }

    /**
     * Embeds texts with llama.cpp's embedding mode, on a second load of the model set up for it
     * (made on the first call), one text after another; pooling as {@link Pooling} decides.
     * Vectors come back normalised to length 1, as llama-server gives them.
     */
    @Override
    public EmbeddingResponse embed(List<String> texts) {
        ensureOpen();
        LoadedModel m = embedder();
        try {
            m.slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("");
        }
        try {
            List<float[]> vectors = new java.util.ArrayList<>(texts.size());
            int tokens = 0;
            for (String text : texts) {
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new GenerationCancelledException("");
                }
                int count = m.promptTokens(text);
                int room = Math.min(m.slotContext, EMBEDDING_BATCH);
                if (count > room) {
                    throw new ContextLengthExceededException(count, room, "llama.cpp embeds a text in one batch of at "
                            + "most " + room + " tokens: split long texts into passages and embed those.");
                }
                vectors.add(embedOne(m, text));
                tokens += count;
            }
            return new EmbeddingResponse(vectors, Usage.of(tokens, 0), m.name);
        } finally {
            m.slots.release();
        }
    }

    private static float[] embedOne(LoadedModel m, String text) {
        float[] v;
        try {
            v = m.llama.embed(text);
        } catch (RuntimeException e) {
            throw NativeErrors.translate("embedding a text", e, "");
        } catch (OutOfMemoryError e) {
            // java-llama.cpp reports an empty result as OutOfMemoryError("embedding array is empty")
            if (String.valueOf(e.getMessage()).contains("embedding")) {
                throw new LlmException("llama.cpp gave no vector for a text (" + e.getMessage() + "); this model cannot "
                        + "embed it.", e);
            }
            throw e;
        }
        if (v == null || v.length == 0) {
            throw new LlmException("llama.cpp gave no vector for a text; this model cannot embed it.");
        }
        return v;
    }

    private synchronized LoadedModel embedder() {
        if (embedder == null) {
            embedder = embeddingLoader.get();
        }
        return embedder;
    }

    /** @return the prompt the model's chat template makes of these messages */
    public String applyTemplate(List<ChatMessage> messages) {
        ensureOpen();
        return render(messages);
    }

    /** @return the text's token ids, without the BOS token llama.cpp adds to a prompt */
    public int[] tokenize(String text) {
        ensureOpen();
        return model.llama.encode(text);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        ensureOpen();
        if (!request.tools().isEmpty()) {
            throw new InvalidRequestException("The llamacpp provider does not offer tools to the model yet; send the "
                    + "request without tools, or use an OpenAI-compatible server (openai:MODEL) for tool calls.");
        }
        long start = System.nanoTime();
        String prompt = render(request.messages());
        int encodedPrompt = model.llama.encode(prompt).length; // counted once: a long prompt costs ~1 ms
        int promptTokens = model.promptTokens(encodedPrompt);
        if (promptTokens >= model.slotContext) {
            throw new ContextLengthExceededException(promptTokens, model.slotContext, "Shorten the prompt, raise the "
                    + "setting llamacpp.context-size, or let a conversation drop its oldest turns with "
                    + "dropOldestWhenFull(true).");
        }
        int room = model.slotContext - promptTokens;
        int limit = request.maxTokens() == null ? room : Math.min(request.maxTokens(), room);
        if (limit == 0) {
            return response("", Usage.of(promptTokens, 0), FinishReason.LENGTH, null, start);
        }
        try {
            model.slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("");
        }
        try {
            return generate(request, listener, prompt, encodedPrompt, promptTokens, limit, start);
        } finally {
            model.slots.release();
        }
    }

    private ChatResponse generate(ChatRequest request, StreamListener listener, String prompt, int encodedPrompt,
                                  int promptTokens, int limit, long start) {
        StopMatcher matcher = new StopMatcher(request.stop());
        LlamaIterator tokens;
        try {
            tokens = model.llama.generate(Sampling.parameters(prompt, request, limit)).iterator();
        } catch (RuntimeException e) {
            throw NativeErrors.translate("starting generation", e, "");
        }
        long firstToken = 0;
        int generated = 0;
        boolean lastTokenEmpty = false;
        boolean finished = false;
        try {
            while (tokens.hasNext()) {
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new GenerationCancelledException(matcher.released());
                }
                LlamaOutput output = tokens.next();
                if (!tokens.hasNext()) {
                    finished = true; // the final message carries no token of its own
                } else {
                    generated++;
                    lastTokenEmpty = output.text.isEmpty(); // the end-of-generation token has no text
                }
                String piece = matcher.add(output.text);
                if (!piece.isEmpty()) {
                    if (firstToken == 0) {
                        firstToken = System.nanoTime();
                    }
                    listener.onToken(piece);
                }
                if (matcher.stopped()) {
                    break;
                }
            }
            finished = true;
        } catch (LlmException e) {
            throw e;
        } catch (RuntimeException e) {
            if (e.getClass().getName().startsWith("de.kherud.llama")) {
                throw NativeErrors.translate("generating", e, matcher.released());
            }
            throw e; // the listener's own exception, unchanged
        } finally {
            if (!finished || matcher.stopped()) {
                tokens.cancel(); // otherwise the slot keeps generating until nPredict
            }
        }
        String rest = matcher.stopped() ? "" : matcher.flush();
        if (!rest.isEmpty()) {
            if (firstToken == 0) {
                firstToken = System.nanoTime();
            }
            listener.onToken(rest);
        }
        String text = matcher.text();
        int completionTokens = Math.max(0, model.llama.encode(prompt + text).length - encodedPrompt);
        FinishReason reason = matcher.stopped() ? FinishReason.STOP_SEQUENCE
                : generated >= limit && !lastTokenEmpty ? FinishReason.LENGTH : FinishReason.STOP;
        return response(text, Usage.of(promptTokens, completionTokens), reason,
                firstToken == 0 ? null : Duration.ofNanos(firstToken - start), start);
    }

    /** Tokens per second are left to the client, which derives them from usage and these times. */
    private ChatResponse response(String text, Usage usage, FinishReason reason, Duration firstToken, long start) {
        Timings timings = new Timings(firstToken, Duration.ofNanos(System.nanoTime() - start), Double.NaN);
        return new ChatResponse(ChatMessage.assistant(text), usage, reason, timings, model.name);
    }

    /**
     * The prompt text the model was trained on: llama.cpp renders an OpenAI-style request with the
     * model's own chat template (tool calls and results as the template expects them), from the
     * same JSON a llama-server's {@code /apply-template} gets, so a conversation renders alike.
     */
    private String render(List<ChatMessage> messages) {
        try {
            return model.llama.applyTemplate(new String(MessagesJson.templateRequest(messages), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new InvalidRequestException("The model's chat template could not render these messages: "
                    + e.getMessage() + ". Set llamacpp.chat-template to another template (for example chatml).", e);
        }
    }

    /** A JSON-schema response format becomes a llama.cpp grammar (Sampling). */
    @Override
    public boolean followsJsonSchema() {
        return true;
    }

    @Override
    public OptionalInt countTokens(List<ChatMessage> messages) {
        ensureOpen();
        return OptionalInt.of(model.promptTokens(render(messages)));
    }

    @Override
    public OptionalInt contextLength() {
        return OptionalInt.of(model.slotContext);
    }

    @Override
    public List<String> models() {
        ensureOpen();
        return catalogue.get();
    }

    @Override
    public void close() {
        // The shared model stays loaded for the JVM's life (SharedModels says why): closing a
        // client only ends this client.
        closed.set(true);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new LlmException("This llamacpp client (" + model.name + ") is closed; open a new one with Llm.open.");
        }
    }
}
