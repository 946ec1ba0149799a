package dev.helios4j.remote;

import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.RateLimitException;
import dev.helios4j.ServerException;
import dev.helios4j.StreamListener;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.EmbeddingEngine;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One model served by several OpenAI-compatible servers ({@code openai.base-url=http://a/v1,http://b/v1}):
 * client-side spreading over existing serving engines, not a serving layer. Each call goes to the
 * server in rotation with the fewest calls in flight. A server that cannot be reached, fails with
 * a 5xx, stalls past a time limit or rate limits is taken out of the rotation for a cooldown that
 * doubles while it keeps failing (up to a minute) and then tried again with one call; the call
 * that met the fault goes to another server. A streamed call is moved only before its first
 * piece (so no text is repeated); a whole-answer call ({@code chat}) is moved at any point, since
 * no one has seen its pieces. Thread-safe.
 */
final class ServerPool implements ChatEngine, EmbeddingEngine {
    static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(2);
    private static final Duration LONGEST_COOLDOWN = Duration.ofMinutes(1);
    private static final System.Logger LOG = System.getLogger(ServerPool.class.getName());

    private final List<Server> servers = new ArrayList<>();
    private final int retries;
    private final Duration cooldown;
    private final AtomicInteger turn = new AtomicInteger();
    private final boolean jsonSchema;

    /** One server: its engine (without retries of its own) and its place in the rotation. */
    private static final class Server {
        final OpenAiEngine engine;
        final AtomicInteger inFlight = new AtomicInteger();
        // guarded by the Server
        long outUntil;
        boolean out;
        int failures;

        Server(OpenAiEngine engine) {
            this.engine = engine;
        }

        String display() {
            return engine.config().displayUrl();
        }
    }

    ServerPool(List<OpenAiConfig> configs, EmbedSettings embedSettings, boolean jsonSchema, int retries,
            Duration cooldown) {
        this.jsonSchema = jsonSchema;
        for (OpenAiConfig c : configs) {
            servers.add(new Server(new OpenAiEngine(c, embedSettings, jsonSchema)));
        }
        this.retries = retries;
        this.cooldown = cooldown.isZero() ? Duration.ofMillis(1) : cooldown;
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
        return call(request, listener, false);
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        return call(request, StreamListener.NONE, true);
    }

    private ChatResponse call(ChatRequest request, StreamListener listener, boolean whole) {
        Started started = new Started(listener);
        // The pool is the one retry layer: the request's own count is its, and each server tries once.
        int retries = request.retries() != null ? request.retries() : this.retries;
        ChatRequest once = request.retries() == null ? request : request.toBuilder().retries(0).build();
        // once the caller has seen pieces of this answer, moving it would repeat them
        return spread(engine -> engine.stream(once, started), () -> whole || !started.any, retries);
    }

    /** Embeddings go, like whole answers, to any server in rotation; a server's fault moves them on. */
    @Override
    public EmbeddingResponse embed(List<String> texts) {
        return spread(engine -> engine.embed(texts), () -> true, retries);
    }

    /**
     * Runs one call on the best server, moving it to another on a server's fault while
     * {@code movable} allows.
     */
    private <T> T spread(Function<OpenAiEngine, T> work, BooleanSupplier movable, int retries) {
        // every server may be tried once more than the retries allow: moving past a dead one is no retry
        int attempts = retries + servers.size();
        LlmException last = null;
        for (int attempt = 0; attempt < attempts; attempt++) {
            Server s = pick();
            s.inFlight.incrementAndGet();
            try {
                T result = work.apply(s.engine);
                back(s);
                return result;
            } catch (GenerationCancelledException e) {
                throw e;
            } catch (LlmException e) {
                if (!isServerFault(e)) {
                    throw e; // the request itself (400, 401, 404...): another server would say the same
                }
                takeOut(s, e);
                last = e;
                if (!movable.getAsBoolean()) {
                    throw e;
                }
                if (!anyIn()) {
                    throw e; // every server is out: the caller's backoff (a batch's gate) waits, not a busy loop here
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new GenerationCancelledException("");
                }
            } finally {
                s.inFlight.decrementAndGet();
            }
        }
        throw last;
    }

    /** The server in rotation with the fewest calls in flight; when all are out, the one back soonest. */
    private Server pick() {
        long now = System.nanoTime();
        int start = Math.floorMod(turn.getAndIncrement(), servers.size());
        Server best = null;
        Server soonest = null;
        for (int k = 0; k < servers.size(); k++) {
            Server s = servers.get((start + k) % servers.size());
            boolean in;
            long until;
            synchronized (s) {
                in = !s.out || now - s.outUntil >= 0;
                until = s.outUntil;
            }
            if (in && (best == null || s.inFlight.get() < best.inFlight.get())) {
                best = s;
            }
            if (!in && (soonest == null || until - soonestUntil(soonest) < 0)) {
                soonest = s;
            }
        }
        return best != null ? best : soonest;
    }

    private boolean anyIn() {
        long now = System.nanoTime();
        for (Server s : servers) {
            synchronized (s) {
                if (!s.out || now - s.outUntil >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long soonestUntil(Server s) {
        synchronized (s) {
            return s.outUntil;
        }
    }

    private void takeOut(Server s, LlmException cause) {
        Duration wait;
        synchronized (s) {
            s.failures++;
            long nanos = cooldown.toNanos() << Math.min(s.failures - 1, 16);
            nanos = Math.min(nanos, LONGEST_COOLDOWN.toNanos());
            if (cause instanceof RateLimitException limit && limit.retryAfter().isPresent()) {
                nanos = Math.max(nanos, limit.retryAfter().get().toNanos());
            }
            wait = Duration.ofNanos(nanos);
            s.out = true;
            s.outUntil = System.nanoTime() + nanos;
        }
        LOG.log(Level.WARNING, () -> "Server " + s.display() + " is out of the rotation for " + wait.toMillis()
                + " ms after: " + cause.getMessage());
    }

    private static void back(Server s) {
        boolean wasOut;
        synchronized (s) {
            wasOut = s.out;
            s.out = false;
            s.failures = 0;
        }
        if (wasOut) {
            LOG.log(Level.INFO, () -> "Server " + s.display() + " answers again and is back in the rotation");
        }
    }

    /** A fault of the server, not of the request: another server may well answer. */
    static boolean isServerFault(LlmException e) {
        if (e instanceof ServerException || e instanceof LlmTimeoutException || e instanceof RateLimitException) {
            return true;
        }
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true; // could not connect, or the connection dropped
            }
        }
        return false;
    }

    /** The servers of one model are alike: all follow JSON-schema response formats or none ({@code openai.json-schema}). */
    @Override
    public boolean followsJsonSchema() {
        return jsonSchema;
    }

    /** 8 calls per server, as for one server. */
    @Override
    public int suggestedConcurrency() {
        return 8 * servers.size();
    }

    @Override
    public OptionalInt countTokens(List<ChatMessage> messages) {
        return OptionalInt.empty();
    }

    /** The models of the first server that lists them. */
    @Override
    public List<String> models() {
        LlmException last = null;
        for (Server s : servers) {
            try {
                return s.engine.models();
            } catch (GenerationCancelledException e) {
                throw e;
            } catch (LlmException e) {
                last = e;
            }
        }
        throw last;
    }

    @Override
    public void close() {
        servers.forEach(s -> s.engine.close());
    }

    @Override
    public String toString() {
        return "ServerPool[" + servers.stream().map(Server::display).collect(Collectors.joining(", ")) + "]";
    }

    /** Passes pieces on and remembers whether any went. */
    private static final class Started implements StreamListener {
        private final StreamListener target;
        boolean any;

        Started(StreamListener target) {
            this.target = target;
        }

        @Override
        public void onToken(String piece) {
            any = true;
            target.onToken(piece);
        }

        @Override
        public void onToolCall(dev.helios4j.ToolCall call) {
            any = true;
            target.onToolCall(call);
        }
    }
}
