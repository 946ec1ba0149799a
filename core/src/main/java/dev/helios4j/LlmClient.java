package dev.helios4j;

import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.EmbeddingEngine;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open model: ask it questions, stream its answers, hold conversations. Get one from
 * {@link Llm#open(String)}; close it when done.
 *
 * <p>Thread-safe: several threads may call at once (the provider queues or parallelises them).
 * Every call blocks and calls its listener on the calling thread. Interrupting that thread cancels
 * the call at once with a {@link GenerationCancelledException} that keeps the partial answer.
 * Every failure is an {@link LlmException}; an exception thrown by a listener propagates unchanged.
 */
public final class LlmClient implements AutoCloseable {
    private final String spec;
    private final String resolvedSpec;
    private final String provider;
    private final ChatEngine engine;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Set<Capability> capabilities;
    private TypedAnswers typed; // guarded by this; made on the first typed answer: plain chat never loads Jackson

    LlmClient(String spec, String resolvedSpec, String provider, ChatEngine engine) {
        this(spec, resolvedSpec, provider, engine, Set.of(Capability.CHAT));
    }

    LlmClient(String spec, String resolvedSpec, String provider, ChatEngine engine, Set<Capability> capabilities) {
        this.spec = spec;
        this.resolvedSpec = resolvedSpec;
        this.provider = provider;
        this.engine = engine;
        this.capabilities = Set.copyOf(capabilities);
    }

    /**
     * Asks one question and returns the whole answer's text.
     *
     * @param userText the question; never null
     * @return the answer; never null
     * @throws LlmException on any failure
     */
    public String chat(String userText) {
        return chat(ChatRequest.of(userText)).text();
    }

    /**
     * Sends a request and returns the whole answer.
     *
     * @param request the messages and settings; never null
     * @return the answer with usage, finish reason and timings; never null
     * @throws LlmException on any failure
     */
    public ChatResponse chat(ChatRequest request) {
        return call(request, null);
    }

    /**
     * Asks one question, passing the answer to {@code listener} piece by piece.
     *
     * @param userText the question; never null
     * @param listener receives each piece on this thread; never null
     * @return the whole answer; never null
     * @throws LlmException on any failure
     */
    public ChatResponse stream(String userText, StreamListener listener) {
        return stream(ChatRequest.of(userText), listener);
    }

    /**
     * Sends a request, passing the answer to {@code listener} piece by piece as it is produced.
     * The pieces joined equal the returned response's text.
     *
     * @param request the messages and settings; never null
     * @param listener receives each piece on this thread; never null
     * @return the whole answer; never null
     * @throws LlmException on any failure, carrying the text produced so far
     */
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        return call(request, Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Asks one question and returns the answer as a value of {@code type}: a record (nested records,
     * lists, enums and {@code Optional} components included), an enum, an array, a String, a number
     * or a boolean. See {@link #chat(ChatRequest, Class)}.
     *
     * @param userText the question; never null
     * @param type the answer's type, such as {@code Person.class}; never null
     * @return the answer; never null
     * @throws InvalidAnswerException when the answer does not fit the type, also when asked again
     * @throws InvalidRequestException when no JSON answer can fill the type (a Map, a type variable)
     * @throws LlmException on any other failure
     */
    public <T> T chat(String userText, Class<T> type) {
        return chat(ChatRequest.of(userText), type);
    }

    /**
     * Sends a request and returns the answer as a value of {@code type}. The type's JSON Schema (its
     * components' names and types, all required; enum constants; {@link Description} texts) goes
     * to the model as the request's response format where the provider follows one (a grammar on
     * llama.cpp, {@code response_format} on OpenAI-compatible servers), replacing the request's
     * own; otherwise, and after a server refused the format, into the system message. The answer is
     * checked against the schema and parsed with Jackson. One that does not fit is sent back once
     * with what was wrong; if the second answer does not fit either, an
     * {@link InvalidAnswerException} carries its raw text.
     *
     * @param request the messages and settings; never null
     * @param type the answer's type; never null
     * @return the answer; never null
     * @throws InvalidAnswerException when the answer does not fit the type, also when asked again
     * @throws InvalidRequestException when no JSON answer can fill the type
     * @throws LlmException on any other failure
     */
    public <T> T chat(ChatRequest request, Class<T> type) {
        return typed(request, type, null);
    }

    /**
     * As {@link #chat(ChatRequest, Class)}, passing the raw answer (JSON text) to {@code listener}
     * piece by piece; the typed value is returned at the end. When the first answer did not fit and
     * the model is asked again, the listener sees the second answer's pieces after the first's, and
     * its {@link StreamListener#onComplete} is called once per answer.
     *
     * @param request the messages and settings; never null
     * @param type the answer's type; never null
     * @param listener receives each piece on this thread; never null
     * @return the answer; never null
     * @throws InvalidAnswerException when the answer does not fit the type, also when asked again
     * @throws LlmException on any other failure, carrying the text produced so far
     */
    public <T> T stream(ChatRequest request, Class<T> type, StreamListener listener) {
        return typed(request, type, Objects.requireNonNull(listener, "listener"));
    }

    /** @return a new conversation without a system message */
    public Conversation conversation() {
        return new Conversation(this, null);
    }

    /**
     * @param systemPrompt instructions kept at the start of every turn; null for none
     * @return a new conversation
     */
    public Conversation conversation(String systemPrompt) {
        return new Conversation(this, systemPrompt);
    }

    /**
     * Counts the prompt tokens these messages would take with this model's tokenizer.
     *
     * @param messages the messages; never null
     * @return the count, or empty when the provider cannot count locally
     * @throws LlmException when the client is closed or counting failed
     */
    public OptionalInt countTokens(List<ChatMessage> messages) {
        ensureOpen();
        return engine.countTokens(List.copyOf(messages));
    }

    /**
     * Lists the models the provider offers (a server's {@code /models}, for instance).
     *
     * @return model names; empty when the provider cannot list them
     * @throws LlmException when listing failed or the client is closed
     */
    public List<String> models() {
        ensureOpen();
        return engine.models();
    }

    /** @return the model's context window in tokens, when known */
    public OptionalInt contextLength() {
        ensureOpen();
        return engine.contextLength();
    }

    // ---- Embeddings (issue 13) ----

    /**
     * Turns texts into vectors, one per text, in order: texts of similar meaning get vectors whose
     * {@link Embeddings#cosine cosine} is high. Long lists are sent in batches as the provider needs.
     *
     * @param texts the texts; never null, no element null; may be empty (then the result is too)
     * @return {@code result[i]} is the vector of {@code texts.get(i)}; all of one length; never null
     * @throws UnsupportedCapabilityException when this client's provider cannot embed; the message
     *     names the providers that can
     * @throws LlmException on any other failure, such as a model that cannot embed
     */
    public float[][] embed(List<String> texts) {
        return embeddings(texts).toArray();
    }

    /**
     * Turns one text into a vector.
     *
     * @param text the text; never null
     * @return its vector; never null
     * @throws LlmException as {@link #embed(List)} does
     */
    public float[] embed(String text) {
        if (text == null) {
            throw new InvalidRequestException("The text to embed is null; pass a string.");
        }
        return embeddings(List.of(text)).vectors().get(0);
    }

    /**
     * Turns texts into vectors, with the tokens they took and the model's name.
     *
     * @param texts the texts; never null, no element null; may be empty
     * @return the vectors, in the order of the texts; never null
     * @throws LlmException as {@link #embed(List)} does
     */
    public EmbeddingResponse embeddings(List<String> texts) {
        if (texts == null) {
            throw new InvalidRequestException("The list of texts to embed is null; pass List.of(\"some text\", ...).");
        }
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new InvalidRequestException("Text " + i + " of the " + texts.size() + " to embed is null; "
                        + "every element must be a string.");
            }
        }
        ensureOpen();
        if (!(engine instanceof EmbeddingEngine embedder)) {
            throw cannotEmbed();
        }
        List<String> copy = List.copyOf(texts);
        if (copy.isEmpty()) {
            return new EmbeddingResponse(List.of(), Usage.of(0, 0), "");
        }
        EmbeddingResponse response;
        try {
            response = embedder.embed(copy);
        } catch (LlmException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LlmException("The provider '" + provider + "' failed to embed: " + e
                    + ". This is a bug in the provider; please report it.", e);
        }
        checkVectors(copy.size(), response);
        return response;
    }

    /** @return what this client's provider can do: {@link Capability#CHAT}, and perhaps more */
    public Set<Capability> capabilities() {
        return capabilities;
    }

    private UnsupportedCapabilityException cannotEmbed() {
        List<String> able;
        try {
            able = Llm.providersThatCan(Capability.EMBEDDINGS);
        } catch (RuntimeException e) {
            able = List.of();
        }
        String declared = capabilities.contains(Capability.EMBEDDINGS)
                ? " although it lists embeddings among its capabilities (a bug in the provider)" : "";
        return new UnsupportedCapabilityException(Capability.EMBEDDINGS, "The provider '" + provider
                + "' cannot embed texts" + declared + ". " + (able.isEmpty()
                ? "No provider on the classpath can; add helios4j-provider-local (llamacpp:) or "
                        + "helios4j-provider-remote (openai:)."
                : "Providers that can: " + String.join(", ", able) + "; open one, e.g. Llm.open(\""
                        + (able.contains("llamacpp") ? "demo" : able.get(0) + ":MODEL") + "\").embed(texts).")
                + " Llm.providers() lists every provider's capabilities.");
    }

    private void checkVectors(int expected, EmbeddingResponse response) {
        String bug = "The provider '" + provider + "' ";
        if (response == null) {
            throw new LlmException(bug + "returned no embeddings; this is a bug in the provider.");
        }
        if (response.vectors().size() != expected) {
            throw new LlmException(bug + "returned " + response.vectors().size() + " vectors for " + expected
                    + " texts; this is a bug in the provider (or its server).");
        }
        int dimensions = -1;
        for (float[] v : response.vectors()) {
            if (v == null || v.length == 0 || dimensions >= 0 && v.length != dimensions) {
                throw new LlmException(bug + "returned vectors of different lengths (or an empty one); this is a bug "
                        + "in the provider (or its server).");
            }
            dimensions = v.length;
        }
    }

    /** @return how many calls at once the provider serves well; what a {@link Batch} uses by default */
    int suggestedConcurrency() {
        ensureOpen();
        return Math.max(1, engine.suggestedConcurrency());
    }

    /** @return the spec this client was opened with, as given */
    public String spec() {
        return spec;
    }

    /** @return the spec after aliases were followed, {@code PROVIDER:MODEL} */
    public String resolvedSpec() {
        return resolvedSpec;
    }

    /** @return the name of the provider serving this client */
    public String provider() {
        return provider;
    }

    /** @return whether {@link #close()} was called */
    public boolean isClosed() {
        return closed.get();
    }

    /** Releases the model. Idempotent; later calls throw {@link LlmException}. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            engine.close();
        }
    }

    @Override
    public String toString() {
        return "LlmClient[" + (spec.equals(resolvedSpec) ? spec : spec + " = " + resolvedSpec)
                + (closed.get() ? ", closed]" : "]");
    }

    private ChatResponse call(ChatRequest request, StreamListener listener) {
        if (request == null) {
            throw new InvalidRequestException("The request is null; build one with ChatRequest.builder().");
        }
        ensureOpen();
        long start = System.nanoTime();
        Recorder recorder = new Recorder(listener == null ? StreamListener.NONE : listener, start);
        ChatResponse response;
        try {
            response = listener == null ? engine.chat(request) : engine.stream(request, recorder);
        } catch (LlmException e) {
            throw e;
        } catch (RuntimeException e) {
            if (e == recorder.listenerFailure) {
                throw e;
            }
            throw new LlmException("The provider '" + provider + "' failed: " + e
                    + ". This is a bug in the provider; please report it.", e, recorder.text.toString());
        }
        if (response == null) {
            throw new LlmException("The provider '" + provider + "' returned no response; this is a bug in the provider.",
                    null, recorder.text.toString());
        }
        response = response.withTimings(completeTimings(response, start, recorder.firstTokenAt));
        if (listener != null) {
            listener.onComplete(response);
        }
        return response;
    }

    /** Keeps the provider's own figures where it has them; measures the rest here. */
    private static Timings completeTimings(ChatResponse response, long start, long firstTokenAt) {
        Timings given = response.timings();
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        Duration firstToken = given.timeToFirstToken() != null ? given.timeToFirstToken()
                : firstTokenAt > 0 ? Duration.ofNanos(firstTokenAt - start) : null;
        double rate = given.tokensPerSecond();
        if (Double.isNaN(rate) && response.usage().isKnown() && firstToken != null) {
            double seconds = (total.toNanos() - firstToken.toNanos()) / 1e9;
            int afterFirst = response.usage().completionTokens() - 1;
            rate = afterFirst > 0 && seconds > 0 ? afterFirst / seconds : Double.NaN;
        }
        return new Timings(firstToken, total, rate);
    }

    private <T> T typed(ChatRequest request, Class<T> type, StreamListener listener) {
        TypedAnswers t;
        try {
            synchronized (this) {
                if (typed == null) {
                    typed = new TypedAnswers(engine::followsJsonSchema, this::call);
                }
                t = typed;
            }
            return t.answer(request, type, listener);
        } catch (NoClassDefFoundError e) {
            if (e.getMessage() == null || !e.getMessage().contains("com/fasterxml/jackson")) {
                throw e;
            }
            throw new LlmException("Typed answers need Jackson on the class path (com.fasterxml.jackson.core:"
                    + "jackson-databind and com.fasterxml.jackson.datatype:jackson-datatype-jdk8, which helios4j-core "
                    + "depends on; the helios4j-all jar has them): " + e.getMessage() + " is missing.", e);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new LlmException("This client (" + spec + ") is closed. Open a new one with Llm.open(\"" + spec + "\").");
        }
    }

    /** Passes pieces on, keeping the text and the time of the first piece for failures and timings. */
    private static final class Recorder implements StreamListener {
        private final StreamListener target;
        private final long start;
        final StringBuilder text = new StringBuilder();
        long firstTokenAt;
        RuntimeException listenerFailure;

        Recorder(StreamListener target, long start) {
            this.target = target;
            this.start = start;
        }

        @Override
        public void onToken(String piece) {
            if (firstTokenAt == 0) {
                firstTokenAt = Math.max(System.nanoTime(), start + 1);
            }
            text.append(piece);
            try {
                target.onToken(piece);
            } catch (RuntimeException e) {
                listenerFailure = e;
                throw e;
            }
        }

        @Override
        public void onToolCall(ToolCall call) {
            try {
                target.onToolCall(call);
            } catch (RuntimeException e) {
                listenerFailure = e;
                throw e;
            }
        }
    }
}
