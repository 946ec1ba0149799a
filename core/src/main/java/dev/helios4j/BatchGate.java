package dev.helios4j;

import java.time.Duration;

/**
 * The one gate every worker of a batch passes before each call, so a rate limit slows the whole
 * batch rather than the one worker that met it: a 429 closes the gate for the server's
 * {@code Retry-After} (or a backoff) and, once per closing, halves how many calls may be in flight; each run of
 * successes as long as that limit raises it by one again, up to the batch's concurrency
 * (additive increase, multiplicative decrease, as TCP does).
 */
final class BatchGate {
    private final int max;
    private int limit;
    private int inFlight;
    private int successes;
    private long openAt;
    private boolean everPaused;

    BatchGate(int max) {
        this.max = max;
        this.limit = max;
    }

    /** Waits until the gate is open and a call may start. */
    synchronized void enter() throws InterruptedException {
        while (true) {
            long wait = openAt - System.nanoTime();
            if (everPaused && wait > 0) {
                wait(Math.max(1, wait / 1_000_000));
            } else if (inFlight >= limit) {
                wait();
            } else {
                inFlight++;
                return;
            }
        }
    }

    /** Ends a call that {@link #enter()} let through. */
    synchronized void leave(boolean succeeded) {
        inFlight--;
        if (succeeded && limit < max && ++successes >= limit) {
            successes = 0;
            limit++;
        }
        notifyAll();
    }

    /** A rate limit: close the gate for {@code wait} and halve the calls in flight. */
    synchronized void rateLimited(Duration wait) {
        long now = System.nanoTime();
        boolean closedAlready = everPaused && openAt - now > 0;
        if (!closedAlready) {
            limit = Math.max(1, limit / 2); // the other calls that were in flight meet the same limit: halve once
        }
        long until = now + wait.toNanos();
        if (!everPaused || until - openAt > 0) {
            openAt = until;
        }
        everPaused = true;
        successes = 0;
        notifyAll();
    }

    synchronized int limit() {
        return limit;
    }

    synchronized int inFlight() {
        return inFlight;
    }
}
