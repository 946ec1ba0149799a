package dev.helios4j.local.internal.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Where a {@link GgufWriter.TensorData} puts a tensor's values. Each value is converted to the
 * tensor's type as it arrives and buffered, so no tensor is ever held in memory whole.
 *
 * <p>Only valid inside {@link GgufWriter.TensorData#writeTo}; not thread-safe.
 */
public final class TensorOutput {
    private final FileChannel channel;
    private final ByteBuffer buffer;
    private long written;

    private String tensor;
    private GgufWriter.TensorType type;
    private long remaining;

    TensorOutput(FileChannel channel, int bufferBytes) {
        this.channel = channel;
        this.buffer = ByteBuffer.allocate(bufferBytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Puts the next value.
     *
     * @throws IllegalStateException when the tensor already has all its values
     * @throws IOException when writing fails
     */
    public void put(float value) throws IOException {
        if (remaining <= 0) {
            throw new IllegalStateException("tensor " + tensor + " got more values than its shape holds");
        }
        remaining--;
        if (type == GgufWriter.TensorType.F16) {
            room(2);
            buffer.putShort(Half.fromFloat(value));
        } else {
            room(4);
            buffer.putFloat(value);
        }
    }

    /** Puts {@code length} values from {@code values}, starting at {@code offset}. */
    public void put(float[] values, int offset, int length) throws IOException {
        for (int i = offset, end = offset + length; i < end; i++) {
            put(values[i]);
        }
    }

    /** Puts all of {@code values}. */
    public void put(float[] values) throws IOException {
        put(values, 0, values.length);
    }

    /** Puts {@code count} copies of {@code value}: zero matrices, norm weights of one. */
    public void fill(float value, long count) throws IOException {
        for (long i = 0; i < count; i++) {
            put(value);
        }
    }

    void begin(String name, GgufWriter.TensorType tensorType, long elements) {
        this.tensor = name;
        this.type = tensorType;
        this.remaining = elements;
    }

    void end() {
        if (remaining != 0) {
            throw new IllegalStateException("tensor " + tensor + " is missing " + remaining + " values");
        }
        tensor = null;
    }

    void putBytes(byte[] bytes) throws IOException {
        int offset = 0;
        while (offset < bytes.length) {
            room(1);
            int n = Math.min(buffer.remaining(), bytes.length - offset);
            buffer.put(bytes, offset, n);
            offset += n;
        }
    }

    void putString(String s) throws IOException {
        byte[] bytes = GgufWriter.utf8(s);
        putLong(bytes.length);
        putBytes(bytes);
    }

    void putInt(int v) throws IOException {
        room(4);
        buffer.putInt(v);
    }

    void putLong(long v) throws IOException {
        room(8);
        buffer.putLong(v);
    }

    void padTo(int alignment) throws IOException {
        long position = written + buffer.position();
        long padding = (alignment - position % alignment) % alignment;
        for (long i = 0; i < padding; i++) {
            room(1);
            buffer.put((byte) 0);
        }
    }

    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            written += channel.write(buffer);
        }
        buffer.clear();
    }

    private void room(int bytes) throws IOException {
        if (buffer.remaining() < bytes) {
            flush();
        }
    }
}
