package dev.helios4j.notebook;

import dev.helios4j.ChatResponse;
import dev.helios4j.internal.Throttle;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An answer in one notebook output: displayed once, then updated in place by display id, at most
 * as often as the throttle allows, and a last time with the exact final text.
 *
 * <p>Calls come from the thread that called the model, except {@link #awaitEndOrStop}, which the
 * kernel's shell thread makes when the cell is stopped ({@link StopGuard}). Publishing happens
 * under this object's lock, so the two threads never write to the kernel at once, and after the
 * final state nothing more is published.
 */
final class LiveAnswer implements AnswerView {
    private final Frontend frontend;
    private final Throttle throttle;
    private final AnswerFormat format;
    private final String displayId = "helios4j-" + UUID.randomUUID();
    private final StringBuilder text = new StringBuilder();
    private final Thread thread = Thread.currentThread();
    private final CountDownLatch ended = new CountDownLatch(1);
    private boolean dirty;
    private boolean done;

    LiveAnswer(Frontend frontend, Throttle throttle, AnswerFormat format) {
        this.frontend = frontend;
        this.throttle = throttle;
        this.format = format;
    }

    @Override
    public synchronized void start() {
        KernelCalls.run(() -> frontend.display(displayId, format.pending()));
        StopGuard.started(this);
        throttle.restart();
    }

    @Override
    public synchronized void onToken(String piece) {
        if (done) {
            return;
        }
        text.append(piece);
        dirty = true;
        if (throttle.tryPass()) {
            dirty = false;
            KernelCalls.run(() -> frontend.update(displayId, format.streaming(text)));
        }
    }

    @Override
    public synchronized void complete(ChatResponse response) {
        end(format.done(response));
    }

    @Override
    public synchronized void stopped(String partial) {
        end(format.stopped(partial));
    }

    @Override
    public synchronized void failed(String partial, Throwable failure) {
        end(format.failed(partial, failure));
    }

    private void end(Output last) {
        if (done) {
            return;
        }
        done = true;
        try {
            KernelCalls.run(() -> frontend.update(displayId, last));
        } finally {
            StopGuard.ended(this);
            ended.countDown();
        }
    }

    /**
     * Waits for the answer's own final update; if it does not come in time (a model that is slow
     * to notice the stop), shows the stopped state with the text received so far.
     */
    void awaitEndOrStop(long timeout, TimeUnit unit) {
        try {
            if (ended.await(timeout, unit)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            end(format.stopped(text.toString()));
        }
    }

    /** @return the thread that streams this answer (the cell's thread) */
    Thread thread() {
        return thread;
    }

    /** @return whether pieces arrived that no update has shown yet (the final update shows them) */
    synchronized boolean hasUnshownText() {
        return dirty;
    }

    String displayId() {
        return displayId;
    }
}
