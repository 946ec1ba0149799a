package dev.helios4j.local.internal.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian reads from the start of a file through a small window, with every read checked
 * against the file's size first. A length or count from the file is trusted only after that
 * check, so a damaged file produces a message instead of an allocation of gigabytes.
 *
 * <p>{@link #context} names what is being read, for messages; it is a field rather than a
 * parameter so that reading a 150,000-entry vocabulary builds no strings.
 */
final class HeaderInput {
    private static final int WINDOW = 64 * 1024;

    private final FileChannel channel;
    private final long size;
    private final ByteBuffer window = ByteBuffer.allocate(WINDOW).order(ByteOrder.LITTLE_ENDIAN);
    /** File offset of window index 0. */
    private long windowStart;

    String context = "the header";

    HeaderInput(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        window.limit(0);
    }

    long size() {
        return size;
    }

    long position() {
        return windowStart + window.position();
    }

    long remaining() {
        return size - position();
    }

    /** Fails, naming {@link #context}, unless {@code bytes} more bytes exist in the file. */
    void require(long bytes) throws GgufFormatException {
        if (bytes < 0 || bytes > remaining()) {
            throw GgufFormatException.damaged("the file ends at byte " + size + " in the middle of "
                    + context + " (at byte " + position() + ", needing " + (bytes < 0 ? "more than 2^63"
                    : String.valueOf(bytes)) + " bytes); it is truncated, probably an incomplete download");
        }
    }

    int u8() throws GgufFormatException, IOException {
        fill(1);
        return window.get() & 0xff;
    }

    int i32() throws GgufFormatException, IOException {
        fill(4);
        return window.getInt();
    }

    long u32() throws GgufFormatException, IOException {
        return i32() & 0xffff_ffffL;
    }

    long i64() throws GgufFormatException, IOException {
        fill(8);
        return window.getLong();
    }

    float f32() throws GgufFormatException, IOException {
        fill(4);
        return window.getFloat();
    }

    double f64() throws GgufFormatException, IOException {
        fill(8);
        return window.getDouble();
    }

    short i16() throws GgufFormatException, IOException {
        fill(2);
        return window.getShort();
    }

    /** Reads {@code n} bytes; the caller has bounded {@code n} (it is at most the file size). */
    void bytes(byte[] into, int offset, int n) throws GgufFormatException, IOException {
        require(n);
        while (n > 0) {
            fill(1);
            int chunk = Math.min(n, window.remaining());
            window.get(into, offset, chunk);
            offset += chunk;
            n -= chunk;
        }
    }

    /** Reads a GGUF string (uint64 length, UTF-8 bytes) of at most {@code maxBytes} bytes. */
    String string(long maxBytes) throws GgufFormatException, IOException {
        long length = i64();
        checkLength(length, maxBytes);
        byte[] bytes = new byte[(int) length];
        bytes(bytes, 0, bytes.length);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Fails unless a string or blob of {@code length} bytes fits in the file and the limit. */
    void checkLength(long length, long maxBytes) throws GgufFormatException {
        if (length < 0 || length > remaining()) {
            throw GgufFormatException.damaged(context + " claims a length of " + Long.toUnsignedString(length)
                    + " bytes at byte " + (position() - 8) + ", but only " + remaining()
                    + " bytes follow in the file; it is truncated or damaged");
        }
        if (length > maxBytes) {
            throw GgufFormatException.damaged(context + " claims a length of " + length
                    + " bytes at byte " + (position() - 8) + ", more than the " + maxBytes
                    + " bytes allowed there (tensor names have at most 63 bytes, a whole header 64 MiB)");
        }
    }

    /** Makes {@code n} (at most 8) bytes available in the window, reading more of the file. */
    private void fill(int n) throws GgufFormatException, IOException {
        if (window.remaining() >= n) {
            return;
        }
        require(n);
        windowStart += window.position();
        window.compact();
        while (window.position() < n) {
            int read = channel.read(window, windowStart + window.position());
            if (read < 0) {
                // The file shrank while we read it.
                throw GgufFormatException.damaged("the file ended early while reading " + context);
            }
        }
        window.flip();
    }
}
