package dev.helios4j.remote;

import dev.helios4j.GenerationCancelledException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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

    /**
     * Reads a whole body from the queue into {@code bytes}: the one loop behind every answer that
     * is read whole ({@code /models}, {@code /embeddings}).
     *
     * @param deadline {@link System#nanoTime()} by which each piece must arrive, or 0 for none
     * @param tooLarge the exception that says what to raise, for a body past the limit
     * @return the whole body
     * @throws GenerationCancelledException when the thread is interrupted (its flag is set again)
     */
    static byte[] readWhole(BodyQueue queue, BodyBytes bytes, long deadline,
            Function<BodyBytes, RuntimeException> tooLarge) throws BodyQueue.Silence, IOException {
        try {
            List<ByteBuffer> buffers;
            while ((buffers = queue.next(deadline == 0 ? 0 : Math.max(1, deadline - System.nanoTime()))) != null) {
                for (ByteBuffer b : buffers) {
                    if (!bytes.add(b)) {
                        throw tooLarge.apply(bytes);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("");
        }
        return bytes.toArray();
    }

    byte[] toArray() {
        return pieces.size() == 1 ? pieces.get(0) : head(size);
    }
}
