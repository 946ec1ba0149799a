package dev.helios4j.notebook;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * All of the notebook module's static state, in one place; no other class of the module keeps any.
 *
 * <p>Why static: a JVM runs one kernel session, a setting made in one cell must hold in the next,
 * and the kernels call the magics and the stop listener with no object of helios4j in hand. Each
 * field is volatile or a concurrent collection, so any thread may read or write it.
 */
final class NotebookState {
    /** Whether answers end with model, tokens and speed: {@link Notebook#footer(boolean)}. */
    static volatile boolean footer = !Boolean.getBoolean("helios4j.notebook.nofooter");
    /** Whether to print as in JShell even in a kernel: {@link Notebook#useStdout(boolean)}. */
    static volatile boolean forceStdout = Boolean.getBoolean("helios4j.notebook.stdout");
    /** The last failure a helper showed instead of throwing: {@link Notebook#lastError()}. */
    static volatile Throwable lastError;
    /**
     * The kernel found by {@link Kernels}, empty for none; null until looked for. A kernel does not
     * change under a running session, so it is looked for once.
     */
    static volatile Optional<Frontend> kernel;
    /**
     * The magics session registered last: registering again (re-running the setup cell) must close
     * the clients of the session it replaces, which the kernels' registries cannot hand back.
     */
    static final AtomicReference<LlmMagic> MAGICS = new AtomicReference<>();
    /** Answers streaming now, which a stop must finish showing ({@link StopGuard}). */
    static final Set<LiveAnswer> STREAMING = ConcurrentHashMap.newKeySet();
    /** The kernels' JShell instances {@link StopGuard} listens to, each once. */
    static final Set<Object> WATCHED_SHELLS =
            Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private NotebookState() {
    }
}
