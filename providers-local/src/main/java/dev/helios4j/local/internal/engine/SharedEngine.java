package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.HttpException;
import dev.helios4j.LlmException;
import dev.helios4j.Settings;
import dev.helios4j.remote.OpenAiProvider;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.ProviderContext;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine for one model and settings, shared by every client of them in this JVM: started on
 * first use, replaced after it died, stopped by {@link EngineRegistry} when its last client is
 * gone and the keep-alive ran out. Starting holds this engine's own lock only, and waiting for it
 * is interruptible, so a slow load never holds up another model.
 */
final class SharedEngine {
    private static final System.Logger LOG = System.getLogger(SharedEngine.class.getName());
    /** How long a failed call waits to learn whether the engine died (the socket breaks as it exits). */
    private static final Duration DEATH_WAIT = Duration.ofSeconds(5);

    final EngineRegistry.Key key;
    private final String name;
    private final Duration startTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private Running current; // guarded by lock

    // Guarded by EngineRegistry's lock.
    int users;
    long releases;
    ScheduledFuture<?> pendingStop;

    SharedEngine(EngineRegistry.Key key, String name, Duration startTimeout) {
        this.key = key;
        this.name = name;
        this.startTimeout = startTimeout;
    }

    /** One started engine process and the OpenAI-compatible client on it. */
    static final class Running {
        final EngineProcess process;
        final ChatEngine client;
        private volatile OptionalInt context;
        private volatile int slots;
        /** Its death was told to a caller already; the next call replaces it silently. */
        private volatile boolean reported;

        Running(EngineProcess process, ChatEngine client) {
            this.process = process;
            this.client = client;
        }

        OptionalInt context() {
            if (context == null) {
                readProps();
            }
            return context;
        }

        /** Requests the engine serves at once ({@code -np}, {@code llamacpp.parallel}); at least 1. */
        int slots() {
            if (context == null) {
                readProps();
            }
            return slots;
        }

        /** Both come from one {@code /props}, which llama-server and the Java engine answer alike. */
        private void readProps() {
            JsonNode props = process.http().get("/props");
            slots = Math.max(1, props.path("total_slots").asInt(1));
            int n = props.path("default_generation_settings").path("n_ctx").asInt(0);
            context = n > 0 ? OptionalInt.of(n) : OptionalInt.empty(); // last: it marks both as read
        }

        void close() {
            client.close();
            process.stop();
        }
    }

    /**
     * The running engine, started when there is none. An engine found dead is replaced; when
     * {@code reportDeath}, its death is reported once instead (the call after starts a new one).
     */
    Running running(boolean reportDeath) {
        try {
            lock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("");
        }
        try {
            Running r = current;
            if (r != null && r.process.hasExited()) {
                current = null;
                Optional<String> death = r.process.death(); // before close(), after which it reads as stopped
                r.close();
                if (reportDeath && death.isPresent() && !r.reported) {
                    r.reported = true;
                    throw died(r, death.get(), "since the last call", null, "");
                }
                LOG.log(Level.INFO, () -> "The engine process " + r.process.describe() + " for " + name + " had ended; "
                        + "starting a new one.");
            }
            if (current == null) {
                current = start();
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Explains a failed call: when the engine died, the failure says how (exit code or signal, last
     * lines), keeps the partial text, and the next call starts a new engine.
     */
    LlmException failed(Running r, LlmException e) {
        if (e instanceof HttpException h && h.statusCode() >= 400) {
            return e; // the engine answered: it is alive
        }
        try {
            if (!r.process.awaitExit(DEATH_WAIT)) {
                return e;
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return e;
        }
        Optional<String> death = r.process.death();
        if (death.isEmpty()) {
            return e; // stopped on purpose (keep-alive ran out, or closed)
        }
        r.reported = true; // the next call finds it dead and starts a new one, without waiting on a start here
        return died(r, death.get(), "during the call", e, e.partialText());
    }

    /** Stops the engine, if one runs, and waits for it to end. */
    void stop() {
        Running r;
        lock.lock();
        try {
            r = current;
            current = null;
        } finally {
            lock.unlock();
        }
        if (r != null) {
            r.close();
        }
    }

    /** @return the running engine's process, if any; for tests and diagnostics */
    Optional<EngineProcess> process() {
        lock.lock();
        try {
            return Optional.ofNullable(current).map(r -> r.process);
        } finally {
            lock.unlock();
        }
    }

    private Running start() {
        EngineProcess p = EngineProcess.start(key.command(), startTimeout);
        try {
            return new Running(p, new OpenAiProvider().open(new ProviderContext("openai:" + name, name, clientSettings(p))));
        } catch (RuntimeException e) {
            p.stop();
            throw e;
        }
    }

    private LlmException died(Running r, String how, String when, Throwable cause, String partial) {
        return new LlmException("The engine process " + r.process.describe() + " serving " + name + " " + how + ", " + when
                + ". The next call starts a new engine." + (partial == null || partial.isEmpty() ? ""
                : " The text so far is in partialText().") + r.process.lastOutput(), cause, partial);
    }

    /**
     * The remote provider's settings for an engine, and nothing from the user's {@code openai.*}
     * settings or environment. Generation on a CPU can be slow, so there is no first-byte, idle or
     * total limit: an engine that dies breaks the connection, and an interrupt cancels. Two quick
     * retries before the first byte only (the remote client never retries after it): a server may
     * close a kept-alive connection just as the client reuses it ("header parser received no
     * bytes", seen with llama-server and four threads on a loaded machine), and a request that got
     * nothing back is safe to send again; an engine that is gone still fails within milliseconds.
     */
    private static Settings clientSettings(EngineProcess p) {
        // No system properties, no environment, and a home without a config file: nothing of the user's.
        return Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-helios4j-home"))
                .with("openai.base-url", p.baseUrl())
                .with("openai.api-key", p.key().reveal())
                .with("openai.retries", "2")
                .with("openai.retry.initial-backoff", "10ms")
                .with("openai.timeout.connect", "5s")
                .with("openai.timeout.first-byte", "0")
                .with("openai.timeout.idle", "0")
                .with("openai.timeout.total", "0")
                .with("openai.stream-usage", "true");
    }
}
