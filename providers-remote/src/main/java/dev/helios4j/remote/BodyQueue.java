package dev.helios4j.remote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body handed from the HttpClient's threads to the caller's thread. Reads from the
 * JDK's {@code HttpClient} input stream cannot be interrupted; polling this queue with a timeout
 * can, which gives both cancellation (a notebook's stop button) and the idle timeout. Demand is a
 * small window, so a slow listener slows the socket instead of filling memory; {@link #cancel()}
 * closes the connection rather than returning a half-read one to the pool.
 */
final class BodyQueue implements Flow.Subscriber<List<ByteBuffer>> {
    /** Enough to keep the socket busy while the caller parses, small enough to bound memory. */
    private static final int WINDOW = 4;
    private static final Object END = new Object();

    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
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
        items.add(buffers);
    }

    @Override
    public void onError(Throwable error) {
        items.add(new Failure(error));
    }

    @Override
    public void onComplete() {
        items.add(END);
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
        Object item = timeoutNanos > 0 ? items.poll(timeoutNanos, TimeUnit.NANOSECONDS) : items.take();
        if (item == null) {
            throw new Silence();
        }
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

    /** Stops the body and releases the connection. Idempotent; safe from any thread. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        items.clear();
    }
}
