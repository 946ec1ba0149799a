package dev.helios4j.local.hf;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * Watches one body download from a daemon thread and closes its stream when no byte came for
 * the idle limit, the overall deadline passed, or the downloading thread was interrupted. A read
 * blocked on the network does not see a deadline or an interrupt by itself; closing the stream
 * is what wakes it. The reader then asks {@link #reason()} why its read failed.
 */
final class StallGuard implements AutoCloseable {
    enum Reason { IDLE, DEADLINE, INTERRUPTED }

    private static final long POLL_MILLIS = 50;

    private final Closeable target;
    private final long deadlineNanos;
    private final long idleNanos;
    private final Thread reader;
    private final Thread watcher;
    private volatile long lastActivity = System.nanoTime();
    private volatile Reason reason;
    private volatile boolean closed;

    StallGuard(Closeable target, long deadlineNanos, Duration idle) {
        this.target = target;
        this.deadlineNanos = deadlineNanos;
        this.idleNanos = idle.toNanos();
        this.reader = Thread.currentThread();
        this.watcher = new Thread(this::watch, "helios4j-hf-download-guard");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Bytes arrived: the idle clock starts again. */
    void touch() {
        lastActivity = System.nanoTime();
    }

    /** @return why the stream was closed under the reader, or null if it was not */
    Reason reason() {
        return reason;
    }

    private void watch() {
        while (!closed) {
            long now = System.nanoTime();
            Reason found = reader.isInterrupted() ? Reason.INTERRUPTED
                    : now - deadlineNanos > 0 ? Reason.DEADLINE
                    : now - lastActivity > idleNanos ? Reason.IDLE
                    : null;
            if (found != null) {
                reason = found;
                try {
                    target.close();
                } catch (IOException ignored) {
                    // The reader fails either way, which is what we want.
                }
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
    }
}
