package dev.helios4j.remote;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.LockSupport;

/**
 * A response body handed from the HttpClient's threads to the caller's thread. Reads from the
 * JDK's {@code HttpClient} input stream cannot be interrupted; waiting here can, which gives both
 * cancellation (a notebook's stop button) and the idle timeout. Demand is a small window, so a slow
 * listener slows the socket instead of filling memory; {@link #cancel()} closes the connection
 * rather than returning a half-read one to the pool.
 *
 * <p>It is the exchange's body subscriber itself ({@code send(request, info -> queue)}), subscribed
 * when the headers arrive, so a caller that gives up while waiting for them cancels the body too.
 *
 * <p>The caller waits with a lock-free queue and {@code LockSupport.park}, holding no lock: JShell's
 * stop (Ctrl-C) throws a {@code ThreadDeath} into the waiting thread, and one thrown out of a
 * {@code LinkedBlockingQueue}'s condition wait leaves the lock released, so the queue's own
 * {@code unlock} failed with {@code IllegalMonitorStateException} in place of the stop. Here the
 * stop passes through unchanged.
 */
final class BodyQueue implements HttpResponse.BodySubscriber<Void> {
    /** Enough to keep the socket busy while the caller parses, small enough to bound memory. */
    private static final int WINDOW = 4;
    private static final Object END = new Object();
    private static final CompletionStage<Void> AT_ONCE = CompletableFuture.completedStage(null);

    private final Queue<Object> items = new ConcurrentLinkedQueue<>();
    /** The thread parked in {@link #next}, woken by each item; null when none waits. */
    private volatile Thread waiter;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    /** Thrown by {@link #next} when nothing arrived in time. */
    static final class Silence extends Exception {
        private static final long serialVersionUID = 1L;

        Silence() {
            super(null, null, false, false);
        }
    }

    private record Failure(Throwable cause) {
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(WINDOW);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        put(buffers);
    }

    @Override
    public void onError(Throwable error) {
        put(new Failure(error));
    }

    @Override
    public void onComplete() {
        put(END);
    }

    /** Complete at once: the body is read through {@link #next}, not through the response. */
    @Override
    public CompletionStage<Void> getBody() {
        return AT_ONCE;
    }

    private void put(Object item) {
        items.add(item);
        LockSupport.unpark(waiter); // after the add: a waiter that saw no item is woken
    }

    /**
     * The next buffers of the body.
     *
     * @param timeoutNanos how long to wait; 0 or less waits forever
     * @return the buffers, or null at the end of the body
     * @throws Silence when nothing arrived in time
     * @throws InterruptedException when the calling thread was interrupted
     * @throws IOException when the connection failed
     */
    @SuppressWarnings("unchecked")
    List<ByteBuffer> next(long timeoutNanos) throws Silence, InterruptedException, IOException {
        Object item = take(timeoutNanos);
        if (item == END) {
            items.add(END); // stay at the end for any later call
            return null;
        }
        if (item instanceof Failure f) {
            items.add(f);
            throw f.cause() instanceof IOException io ? io : new IOException(f.cause());
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            s.request(1);
        }
        return (List<ByteBuffer>) item;
    }

    /**
     * Waits for an item. The waiter is published before each look at the queue and each item is
     * added before its producer reads the waiter, so a wake-up is never lost; a stray one only
     * makes the loop look again.
     */
    private Object take(long timeoutNanos) throws Silence, InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        Thread me = Thread.currentThread();
        while (true) {
            if (Thread.interrupted()) {
                waiter = null;
                throw new InterruptedException();
            }
            waiter = me;
            Object item = items.poll();
            if (item != null) {
                waiter = null;
                return item;
            }
            if (timeoutNanos <= 0) {
                LockSupport.park(this);
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    waiter = null;
                    throw new Silence();
                }
                LockSupport.parkNanos(this, left);
            }
        }
    }

    /** Stops the body and releases the connection. Idempotent; safe from any thread. */
    void cancel() {
        cancelled = true;
        waiter = null; // what the client still delivers must not wake this thread later, elsewhere
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        items.clear();
    }
}
