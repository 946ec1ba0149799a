package dev.helios4j.remote;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body collected up to a limit, kept as the pieces it arrived in: no array is copied to double
 * it, and none is larger than a piece until the whole is asked for, so a body at its limit costs
 * the limit and not two or three times it. Not thread-safe.
 */
final class BodyBytes {
    private final int limit;
    private final List<byte[]> pieces = new ArrayList<>();
    private int size;

    BodyBytes(int limit) {
        this.limit = limit;
    }

    int limit() {
        return limit;
    }

    /**
     * Keeps the buffer's remaining bytes, or as many as the limit leaves room for.
     *
     * @return false when the buffer did not fit: the limit is reached and more was sent
     */
    boolean add(ByteBuffer buffer) {
        int n = Math.min(buffer.remaining(), limit - size);
        if (n > 0) {
            byte[] piece = new byte[n];
            buffer.duplicate().get(piece);
            pieces.add(piece);
            size += n;
        }
        return n == buffer.remaining();
    }

    /** @return the first bytes, at most {@code max} */
    byte[] head(int max) {
        byte[] out = new byte[Math.min(max, size)];
        int at = 0;
        for (byte[] piece : pieces) {
            if (at == out.length) {
                break;
            }
            int n = Math.min(piece.length, out.length - at);
            System.arraycopy(piece, 0, out, at, n);
            at += n;
        }
        return out;
    }

    byte[] toArray() {
        return pieces.size() == 1 ? pieces.get(0) : head(size);
    }

    /** A body past its limit; {@link #head} holds its start, for the message. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        final transient byte[] head;
        final int limit;

        TooLarge(BodyBytes bytes) {
            super("a body larger than " + bytes.limit + " bytes");
            this.head = bytes.head(2_000);
            this.limit = bytes.limit;
        }
    }

    /**
     * The JDK's {@code ofByteArray} with a limit: the body is collected up to {@code limit} bytes, and
     * past it the exchange is cancelled and the response fails with {@link TooLarge}.
     */
    static HttpResponse.BodyHandler<byte[]> handler(int limit) {
        return info -> new Subscriber(new BodyBytes(limit));
    }

    private static final class Subscriber implements HttpResponse.BodySubscriber<byte[]> {
        private final BodyBytes bytes;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Subscriber(BodyBytes bytes) {
            this.bytes = bytes;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE); // as ofByteArray does; the limit, not demand, bounds what is kept
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return; // past the limit: what was already requested is dropped
            }
            for (ByteBuffer b : buffers) {
                if (!bytes.add(b)) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(bytes));
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
