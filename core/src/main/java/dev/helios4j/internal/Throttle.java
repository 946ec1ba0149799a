package dev.helios4j.notebook;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Lets an update through at most once per interval. Every update resends the whole answer, and
 * Jupyter front ends re-render Markdown on each one: a few per second looks live and stays cheap,
 * where one per token would flood the kernel's IOPub channel. The final update never asks.
 */
final class Throttle {
    /** About ten updates a second. */
    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private boolean passedOnce;
    private long lastPassed;

    Throttle(LongSupplier nanoClock, Duration interval) {
        this.nanoClock = nanoClock;
        this.intervalNanos = interval.toNanos();
    }

    static Throttle systemDefault() {
        return new Throttle(System::nanoTime, DEFAULT_INTERVAL);
    }

    /** @return whether an update may go now; if so, the interval starts again from now */
    boolean tryPass() {
        long now = nanoClock.getAsLong();
        if (passedOnce && now - lastPassed < intervalNanos) {
            return false;
        }
        passedOnce = true;
        lastPassed = now;
        return true;
    }

    /** Counts an update that went without asking (the first display), so the next one waits. */
    void restart() {
        passedOnce = true;
        lastPassed = nanoClock.getAsLong();
    }
}
