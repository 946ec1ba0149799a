package dev.helios4j.local.hf;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.apache.commons.exec.ProcessDestroyer;

/**
 * Learns the started process from Commons Exec, so a cancel or a timeout can stop it and its
 * children. Commons Exec 1.5 hands the process over only after it has started it, on its own
 * thread: a cancel that arrives in that gap is remembered here and carried out the moment the
 * process is handed over, so "stopped" is never said of a process that goes on running.
 */
final class ProcessTracker implements ProcessDestroyer {
    private static final long RECHECK_MILLIS = 50;

    private final Consumer<String> probe;
    private Process process;
    private boolean cancelled;

    /** @param probe hears "registering PID" and "cancel-pending", so a test can hold the gap open */
    ProcessTracker(Consumer<String> probe) {
        this.probe = probe;
    }

    @Override
    public boolean add(Process started) {
        probe.accept("registering " + started.pid());
        boolean stopNow;
        synchronized (this) {
            process = started;
            stopNow = cancelled;
            notifyAll();
        }
        if (stopNow) {
            killTree(started);
        }
        return true;
    }

    @Override
    public boolean remove(Process finished) {
        return true;
    }

    @Override
    public synchronized int size() {
        return process == null ? 0 : 1;
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Stops the process and its children, now or as soon as it is known, and waits for it to end.
     * Runs on a thread that may be interrupted: the flag is kept, and a second interrupt does not
     * cut the wait short.
     *
     * @param finished whether the run is over without a process (it failed to start)
     * @return whether the process is known to have ended (or never started) within {@code wait}
     */
    boolean stop(Duration wait, BooleanSupplier finished) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean interrupted = Thread.interrupted();
        try {
            Process p;
            synchronized (this) {
                cancelled = true;
                p = process;
            }
            if (p == null) {
                probe.accept("cancel-pending");
            }
            while (true) {
                synchronized (this) {
                    p = process;
                    if (p == null) {
                        if (finished.getAsBoolean()) {
                            return true;
                        }
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        try {
                            wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), RECHECK_MILLIS)));
                        } catch (InterruptedException e) {
                            interrupted = true;
                        }
                        continue;
                    }
                }
                killTree(p);
                return awaitExit(p, deadline);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean awaitExit(Process p, long deadline) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    return true;
                } catch (TimeoutException e) {
                    return false;
                } catch (ExecutionException e) {
                    return !p.isAlive();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void killTree(Process p) {
        // Children first: once the parent is gone they are re-parented and out of reach.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
