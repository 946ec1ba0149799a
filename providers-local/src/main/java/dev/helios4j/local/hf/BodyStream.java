package dev.helios4j.local.hf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read on the caller's thread, in a way an interrupt reaches. The JDK's
 * {@code HttpResponse} input stream swallows interrupts while it waits for data, so a download
 * read through it cannot be cancelled once bytes flow. Here the client's threads hand buffers
 * over a queue, one batch at a time (so memory stays bounded), and the caller waits on that
 * queue: an interrupt, the idle limit or the deadline end the wait at once.
 */
final class BodyStream implements Flow.Subscriber<List<ByteBuffer>> {
    /** Why a read gave up without data. */
    static final class Stalled extends Exception {
        final boolean deadline;

        Stalled(boolean deadline) {
            super(deadline ? "deadline passed" : "no data", null, false, false);
            this.deadline = deadline;
        }
    }

    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Deque<ByteBuffer> current = new ArrayDeque<>();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    private boolean ended;

    /** @return a stream reading {@code body}, which it subscribes to */
    static BodyStream of(Flow.Publisher<List<ByteBuffer>> body) {
        BodyStream stream = new BodyStream();
        body.subscribe(stream);
        return stream;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        queue.add(buffers);
    }

    @Override
    public void onError(Throwable error) {
        queue.add(error);
    }

    @Override
    public void onComplete() {
        queue.add(END);
    }

    /**
     * Reads up to {@code buffer.length} bytes.
     *
     * @param idleNanos how long to wait for the next bytes
     * @param deadlineNanos the {@link System#nanoTime()} after which no wait may end
     * @return the number of bytes read, or -1 at the end of the body
     * @throws InterruptedException if the thread is interrupted while waiting (the flag is cleared, as usual)
     * @throws Stalled if no bytes came within the idle limit or before the deadline
     * @throws IOException if the connection failed
     */
    int read(byte[] buffer, long idleNanos, long deadlineNanos) throws IOException, InterruptedException, Stalled {
        while (true) {
            ByteBuffer head = current.peekFirst();
            if (head != null) {
                if (!head.hasRemaining()) {
                    current.removeFirst();
                    continue;
                }
                int n = Math.min(buffer.length, head.remaining());
                head.get(buffer, 0, n);
                return n;
            }
            if (ended) {
                return -1;
            }
            long left = deadlineNanos - System.nanoTime();
            boolean deadlineFirst = left <= idleNanos;
            Object next = queue.poll(Math.max(0, Math.min(left, idleNanos)), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new Stalled(deadlineFirst);
            }
            if (next == END) {
                ended = true;
            } else if (next instanceof Throwable error) {
                ended = true;
                throw error instanceof IOException io ? io : new IOException(error.getMessage(), error);
            } else {
                @SuppressWarnings("unchecked")
                List<ByteBuffer> batch = (List<ByteBuffer>) next;
                current.addAll(batch);
                subscription.request(1);
            }
        }
    }

    /** Stops the transfer; the client then closes the connection. */
    void cancel() {
        cancelled = true;
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
