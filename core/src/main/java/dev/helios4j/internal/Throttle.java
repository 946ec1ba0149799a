package dev.helios4j.internal;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Lets an update through at most once per interval: the one rate limit of every live display
 * (notebook answers and bars, terminal bars). Every notebook update resends the whole output and
 * front ends re-render it; a few per second looks live and stays cheap, where one per token would
 * flood the kernel's IOPub channel. A final update never asks. Not thread-safe: callers hold their
 * own lock. Not API: the packages named {@code internal} may change in any release.
 */
public final class Throttle {
    /** About ten updates a second. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

    private final LongSupplier nanoClock;
    private final long intervalNanos;
    private boolean passedOnce;
    private long lastPassed;

    /**
     * @param nanoClock the clock, {@code System::nanoTime} outside tests
     * @param interval the least time between two updates that pass
     */
    public Throttle(LongSupplier nanoClock, Duration interval) {
        this.nanoClock = nanoClock;
        this.intervalNanos = interval.toNanos();
    }

    /** @return a throttle on the system clock with {@link #DEFAULT_INTERVAL} */
    public static Throttle systemDefault() {
        return every(DEFAULT_INTERVAL);
    }

    /**
     * @param interval the least time between two updates that pass
     * @return a throttle on the system clock
     */
    public static Throttle every(Duration interval) {
        return new Throttle(System::nanoTime, interval);
    }

    /** @return whether an update may go now (the first always may); if so, the interval starts again from now */
    public boolean tryPass() {
        long now = nanoClock.getAsLong();
        if (passedOnce && now - lastPassed < intervalNanos) {
            return false;
        }
        passedOnce = true;
        lastPassed = now;
        return true;
    }

    /** Counts an update that went without asking (the first display), so the next one waits. */
    public void restart() {
        passedOnce = true;
        lastPassed = nanoClock.getAsLong();
    }
}
