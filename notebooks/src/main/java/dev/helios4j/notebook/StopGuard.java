package dev.helios4j.notebook;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Makes the "stopped" state of an answer reach the notebook before the kernel detaches the cell.
 *
 * <p>Why: on stop, IJava and JJava cancel the cell's future; the kernel's shell thread, woken at
 * once, publishes "Evaluation interrupted.", replies and detaches the cell's display stream, after
 * which updates are dropped without error. The cell's own thread learns of the stop only when the
 * model call returns, a few milliseconds later, and its final update lost that race about a third
 * of the time. rapaio's shell thread behaves alike.
 *
 * <p>All three kernels evaluate cells with JShell, and JShell tells its snippet-event listeners
 * about the cancelled snippet on the shell thread, before the kernel sees the exception. This
 * listener holds the shell thread there until every answer still streaming on another thread has
 * shown its final state (its thread publishes it while the display stream is still attached), or,
 * after {@link #GRACE_MILLIS} ms, shows the stopped state itself with the text received so far.
 *
 * <p>Static: one kernel and one JShell per JVM; the listener is added once per JShell. Its sets
 * live in {@link NotebookState}.
 */
final class StopGuard {
    /** How long the shell thread waits for a stopped answer's own final update. */
    static final long GRACE_MILLIS = 3_000;

    private static final Set<LiveAnswer> ACTIVE = NotebookState.STREAMING;
    private static final Set<Object> WATCHED = NotebookState.WATCHED_SHELLS;

    private StopGuard() {
    }

    static void started(LiveAnswer answer) {
        ACTIVE.add(answer);
    }

    static void ended(LiveAnswer answer) {
        ACTIVE.remove(answer);
    }

    /**
     * Listens to the JShell that evaluates the kernel's cells, found by reflection: JJava's
     * {@code getJShell()}, IJava's {@code evaluator.getShell()}, rapaio's
     * {@code javaEngine().getShell()}. A kernel without one is left alone (stop then works as before).
     *
     * @return whether a JShell was found and is watched
     */
    static boolean watch(Object kernel) {
        try {
            Object shell = shellOf(kernel);
            if (shell == null) {
                return false;
            }
            if (WATCHED.add(shell)) {
                Consumer<Object> listener = StopGuard::onSnippetEvent;
                shell.getClass().getMethod("onSnippetEvent", Consumer.class).invoke(shell, listener);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    static Object shellOf(Object kernel) throws ReflectiveOperationException {
        for (String accessor : new String[] {"getJShell", "getShell"}) {
            Object shell = call(kernel, accessor);
            if (shell != null) {
                return shell;
            }
        }
        Object engine = call(kernel, "javaEngine"); // rapaio
        if (engine != null) {
            return call(engine, "getShell");
        }
        for (Class<?> c = kernel.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField("evaluator"); // IJava and JJava before 1.0-a6
                f.setAccessible(true);
                Object evaluator = f.get(kernel);
                return evaluator == null ? null : call(evaluator, "getShell");
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }

    private static Object call(Object target, String name) throws ReflectiveOperationException {
        Method m;
        try {
            m = target.getClass().getMethod(name);
        } catch (NoSuchMethodException e) {
            return null;
        }
        return m.invoke(target);
    }

    /**
     * Runs on the kernel's shell thread after each snippet. A snippet stopped by the kernel (IJava
     * and JJava report "Execution Interrupted", rapaio "## Interrupted Marker ##") while an answer
     * still streams on another thread means that answer's cell was stopped. Other failures, such
     * as JJava's timeout, leave the cell running, and its answer is left alone.
     */
    static void onSnippetEvent(Object event) {
        try {
            boolean stopped = isStop(event.getClass().getMethod("exception").invoke(event));
            Thread current = Thread.currentThread();
            for (LiveAnswer answer : ACTIVE) {
                if (answer.thread() != current && (stopped || answer.thread().isInterrupted())) {
                    answer.awaitEndOrStop(GRACE_MILLIS, TimeUnit.MILLISECONDS);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // never break the kernel's evaluation: at worst the stop shows as it did before
        }
    }

    static boolean isStop(Object exception) {
        if (exception == null) {
            return false;
        }
        String name = exception.getClass().getName();
        try {
            Object thrown = exception.getClass().getMethod("getExceptionClassName").invoke(exception); // EvalException
            if (thrown != null) {
                name = thrown.toString();
            }
        } catch (ReflectiveOperationException e) {
            // not an EvalException: its own class name says what it is
        }
        return name.contains("Interrupt") || name.contains("Stopped");
    }
}
