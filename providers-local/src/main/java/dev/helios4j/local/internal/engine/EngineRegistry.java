package dev.helios4j.local.internal.engine;

import dev.helios4j.LlmException;
import dev.helios4j.spi.ChatEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The engines of this JVM, one per command (model file and settings), reference counted: the
 * second client of a model shares the first one's engine. When the last client closes, the engine
 * stays up for the keep-alive, so that re-running a notebook cell costs nothing, then stops and
 * gives its memory back. The one piece of static state of this package; thread-safe. Every thread
 * it starts is a daemon, and every engine dies with this JVM.
 */
public final class EngineRegistry {
    private static final Object LOCK = new Object();
    private static final Map<Key, SharedEngine> ENGINES = new HashMap<>();
    private static ScheduledExecutorService scheduler; // guarded by LOCK

    /** A command, and the model file's size and time, so a rewritten file gets a new engine. */
    record Key(EngineCommand command, long size, long modified) {
    }

    private EngineRegistry() {
    }

    /**
     * Opens a client on the engine for this command, starting the engine when none runs.
     *
     * @param command the engine's program and flags
     * @param model the model file (its size and time are part of the engine's identity)
     * @param name the model's name in answers
     * @param options the start timeout and keep-alive
     * @param catalogue what {@link ChatEngine#models()} lists
     * @return a client; closing it releases the engine
     * @throws LlmException when the engine cannot be started
     */
    public static ChatEngine open(EngineCommand command, Path model, String name, EngineOptions options,
                                  Supplier<List<String>> catalogue) {
        return open(command, model, name, options, catalogue, null);
    }

    /**
     * As {@link #open(EngineCommand, Path, String, EngineOptions, Supplier)}, for an engine that
     * embeds in a second engine process of its own, started on the first embedding call.
     *
     * @param embeddingCommand gives the command of the engine that embeds (it may refuse, saying
     *     why); null when this engine embeds itself
     */
    public static ChatEngine open(EngineCommand command, Path model, String name, EngineOptions options,
                                  Supplier<List<String>> catalogue, Supplier<EngineCommand> embeddingCommand) {
        Key key;
        try {
            key = new Key(command, Files.size(model), Files.getLastModifiedTime(model).toMillis());
        } catch (IOException e) {
            throw new dev.helios4j.ModelNotFoundException("Cannot read the model file " + model + ": " + e.getMessage());
        }
        SharedEngine engine;
        synchronized (LOCK) {
            engine = ENGINES.computeIfAbsent(key, k -> new SharedEngine(k, name, options.startTimeout()));
            engine.users++;
            if (engine.pendingStop != null) {
                engine.pendingStop.cancel(false);
                engine.pendingStop = null;
            }
        }
        try {
            engine.running(false);
        } catch (RuntimeException | Error e) {
            release(engine, Duration.ZERO); // nothing runs to keep warm
            throw e;
        }
        ServerEngine.Embedder embedder = embeddingCommand == null ? null
                : () -> open(embeddingCommand.get(), model, name, options, catalogue, null);
        return new ServerEngine(engine, name, options.keepAlive(), catalogue, embedder);
    }

    /** A client closed: the last one schedules the engine's stop, or stops it now for a zero keep-alive. */
    static void release(SharedEngine engine, Duration keepAlive) {
        synchronized (LOCK) {
            engine.users--;
            if (engine.users > 0) {
                return;
            }
            long release = ++engine.releases;
            if (!keepAlive.isZero()) {
                engine.pendingStop = scheduler().schedule(() -> expire(engine, release), keepAlive.toNanos(),
                        TimeUnit.NANOSECONDS);
                return;
            }
            ENGINES.remove(engine.key, engine);
        }
        engine.stop();
    }

    private static void expire(SharedEngine engine, long release) {
        synchronized (LOCK) {
            if (engine.users > 0 || engine.releases != release) {
                return; // taken again since
            }
            engine.pendingStop = null;
            ENGINES.remove(engine.key, engine);
        }
        engine.stop();
    }

    /** @return the running engine of a client opened by {@link #open}, if it runs; for tests and diagnostics */
    static Optional<EngineProcess> processOf(ChatEngine client) {
        return client instanceof ServerEngine s ? s.shared().process() : Optional.empty();
    }

    /** @return how many engines this JVM holds (running or warm) */
    static int size() {
        synchronized (LOCK) {
            return ENGINES.size();
        }
    }

    private static ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "helios4j-engine-keep-alive");
                t.setDaemon(true);
                return t;
            });
            s.setRemoveOnCancelPolicy(true);
            scheduler = s;
        }
        return scheduler;
    }
}
