package com.acme.llm;

import dev.helios4j.Capability;
import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.ContextLengthExceededException;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.LlmException;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.StreamListener;
import dev.helios4j.Timings;
import dev.helios4j.Usage;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.EmbeddingEngine;
import dev.helios4j.spi.LlmProvider;
import dev.helios4j.spi.ProviderContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A third-party provider as a stranger would write it: compiled and jarred by the tests, never by
 * Maven. It is helios4j's one stand-in model: deterministic, word-by-word, and honest about usage,
 * stop sequences, token limits and interruption. Models named "broken-*" each break one rule, so
 * the tests can prove the conformance kit notices.
 *
 * Models named "ctx-N" hold N tokens of context.
 *
 * Embeddings: 32 dimensions, one per hash bucket of a lower-cased word, counting the words; texts
 * sharing words point the same way. "broken-embed-order" returns a list's vectors reversed,
 * "broken-embed-shared" returns the same arrays on every call, and "broken-no-embed" offers no
 * embeddings although the provider lists them.
 *
 * Answers: a prompt containing "Count" counts "one two three ..." for ever (one word a
 * millisecond), one naming "Ada Lovelace" gets her as JSON (the kit's typed-answer example),
 * anything else gets "Hello! You said: " and the last user message.
 */
public final class AcmeProvider implements LlmProvider {
    static final String ADA_JSON = "{\"name\": \"Ada Lovelace\", \"born\": 1815, \"field\": \"MATHEMATICS\", "
            + "\"city\": {\"name\": \"London\", \"country\": \"United Kingdom\"}, \"languages\": [\"English\", \"French\"]}";
    static final String[] NUMBERS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"};

    @Override
    public String name() {
        return "acme";
    }

    @Override
    public String description() {
        return "Acme word-by-word test models";
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CHAT, Capability.EMBEDDINGS);
    }

    @Override
    public ChatEngine open(ProviderContext context) {
        if (context.model().equals("missing")) {
            throw new ModelNotFoundException("Acme has no model named 'missing'.");
        }
        Engine engine = new Engine(context.model());
        return context.model().equals("broken-no-embed") ? chatOnly(engine) : engine;
    }

    /** The engine seen as a chat engine alone, as a provider without embeddings gives it. */
    public static ChatEngine chatOnly(ChatEngine engine) {
        return new ChatEngine() {
            @Override
            public ChatResponse stream(ChatRequest request, StreamListener listener) {
                return engine.stream(request, listener);
            }

            @Override
            public OptionalInt countTokens(List<ChatMessage> messages) {
                return engine.countTokens(messages);
            }

            @Override
            public void close() {
                engine.close();
            }
        };
    }

    static final class Engine implements ChatEngine, EmbeddingEngine {
        static final int DIMENSIONS = 32;
        private final Map<String, float[]> shared = new ConcurrentHashMap<>();
        private final String model;
        private final AtomicBoolean closed = new AtomicBoolean();

        Engine(String model) {
            this.model = model;
        }

        @Override
        public ChatResponse stream(ChatRequest request, StreamListener listener) {
            if (closed.get()) {
                throw new LlmException("This Acme engine is closed.");
            }
            if (request.model() != null && request.model().startsWith("no-such")) {
                throw new ModelNotFoundException("Acme has no model named '" + request.model() + "'.");
            }
            long start = System.nanoTime();
            if (model.startsWith("ctx-")) {
                int context = Integer.parseInt(model.substring(4));
                int needed = countTokens(request.messages()).getAsInt();
                if (needed > context) {
                    throw new ContextLengthExceededException(needed, context, "Use a shorter prompt.");
                }
            }
            String question = request.messages().get(request.messages().size() - 1).content();
            boolean counting = question.contains("Count");
            String[] script = (question.contains("Ada Lovelace") ? ADA_JSON : "Hello! You said: " + question).split(" ");
            int limit = request.maxTokens() == null ? 100_000 : request.maxTokens();
            StringBuilder text = new StringBuilder();
            int emittedChars = 0;
            int produced = 0;
            FinishReason reason = FinishReason.LENGTH;
            Long firstToken = null;
            while (produced < limit || model.equals("broken-length")) {
                if (!counting && produced == script.length) {
                    reason = FinishReason.STOP;
                    break;
                }
                if (model.equals("broken-length") && produced >= limit + 3) {
                    break;
                }
                if (Thread.currentThread().isInterrupted() && !model.equals("ignores-interrupt")) {
                    throw cancelled(text.substring(0, emittedChars));
                }
                if (counting) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        if (!model.equals("ignores-interrupt")) {
                            throw cancelled(text.substring(0, emittedChars));
                        }
                    }
                }
                String word = counting ? NUMBERS[produced % NUMBERS.length] : script[produced];
                text.append(produced == 0 ? word : " " + word);
                produced++;
                int stopAt = model.equals("broken-stop") ? -1 : firstStop(text, request.stop());
                if (stopAt >= 0) {
                    text.setLength(stopAt);
                    reason = FinishReason.STOP_SEQUENCE;
                    break;
                }
                int safe = text.length() - heldBack(text, request.stop());
                if (safe > emittedChars) {
                    if (firstToken == null) {
                        firstToken = System.nanoTime() - start;
                    }
                    String piece = text.substring(emittedChars, safe);
                    listener.onToken(model.equals("broken-pieces") ? piece.trim() : piece);
                    emittedChars = safe;
                }
            }
            if (text.length() > emittedChars) {
                listener.onToken(text.substring(emittedChars));
            }
            int promptTokens = 0;
            for (ChatMessage m : request.messages()) {
                promptTokens += 1 + m.content().split(" ").length;
            }
            Usage usage = model.equals("broken-usage") ? new Usage(0, 0, 0) : Usage.of(promptTokens, produced);
            Timings timings = new Timings(firstToken == null ? null : Duration.ofNanos(firstToken),
                    Duration.ofNanos(System.nanoTime() - start), Double.NaN);
            return new ChatResponse(ChatMessage.assistant(text.toString()), usage, reason, timings, "acme-" + model);
        }

        private static GenerationCancelledException cancelled(String partial) {
            Thread.currentThread().interrupt();
            return new GenerationCancelledException(partial);
        }

        private static int firstStop(CharSequence text, List<String> stops) {
            int first = -1;
            for (String s : stops) {
                int at = text.toString().indexOf(s);
                if (at >= 0 && (first < 0 || at < first)) {
                    first = at;
                }
            }
            return first;
        }

        /** How many trailing characters might be the start of a stop sequence, so must wait. */
        private static int heldBack(CharSequence text, List<String> stops) {
            int held = 0;
            String t = text.toString();
            for (String s : stops) {
                for (int n = Math.min(s.length() - 1, t.length()); n > held; n--) {
                    if (t.endsWith(s.substring(0, n))) {
                        held = n;
                        break;
                    }
                }
            }
            return held;
        }

        @Override
        public OptionalInt countTokens(List<ChatMessage> messages) {
            int n = 0;
            for (ChatMessage m : messages) {
                n += 1 + m.content().split(" ").length;
            }
            return OptionalInt.of(n);
        }

        @Override
        public EmbeddingResponse embed(List<String> texts) {
            if (closed.get()) {
                throw new LlmException("This Acme engine is closed.");
            }
            List<float[]> vectors = new ArrayList<>();
            int tokens = 0;
            for (String text : texts) {
                float[] v = new float[DIMENSIONS];
                for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                    if (!word.isEmpty()) {
                        v[Math.floorMod(word.hashCode(), DIMENSIONS)] += 1f;
                        tokens++;
                    }
                }
                v[DIMENSIONS - 1] += 0.5f; // an empty text still has a direction
                vectors.add(model.equals("broken-embed-shared") ? shared.computeIfAbsent(text, t -> v) : v);
            }
            if (model.equals("broken-embed-order")) {
                Collections.reverse(vectors);
            }
            return new EmbeddingResponse(vectors, Usage.of(tokens, 0), "acme-" + model);
        }

        @Override
        public List<String> models() {
            return List.of("acme-small", "acme-large");
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }
}
