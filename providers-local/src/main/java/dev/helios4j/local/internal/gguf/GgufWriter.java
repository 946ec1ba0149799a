package dev.helios4j.local.internal.gguf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Writes GGUF version 3 files: key/value metadata and F32 or F16 tensors, little-endian, with
 * tensor data aligned to {@value #ALIGNMENT} bytes (written as {@code general.alignment}).
 *
 * <p>Metadata is kept in memory (it is small); tensor data is not. Each tensor is declared with
 * its shape and a {@link TensorData} callback that produces its values when {@link #write} reaches
 * it, so a model of hundreds of megabytes streams to disk through a one-megabyte buffer.
 *
 * <p>Keys and tensors are written in the order they were added, so the same calls give the same
 * bytes. Not thread-safe: build and write from one thread.
 */
public final class GgufWriter {

    /** The data alignment this writer uses, and the GGUF default. */
    public static final int ALIGNMENT = 32;

    private static final byte[] MAGIC = {'G', 'G', 'U', 'F'};
    private static final int VERSION = 3;
    private static final int BUFFER_BYTES = 1 << 20;

    /** The tensor element types this writer can produce. */
    public enum TensorType {
        /** 32-bit IEEE float. */
        F32(GgmlType.F32),
        /** 16-bit IEEE float, rounded to nearest even. */
        F16(GgmlType.F16);

        final GgmlType ggml;

        TensorType(GgmlType ggml) {
            this.ggml = ggml;
        }
    }

    /** Produces a tensor's values, first dimension fastest, when the writer reaches it. */
    @FunctionalInterface
    public interface TensorData {
        /**
         * Puts exactly as many values as the tensor has elements.
         *
         * @param out where the values go; converted to the tensor's type
         * @throws IOException when writing fails
         */
        void writeTo(TensorOutput out) throws IOException;
    }

    /** Each key's encoded entry (key, type, value), in the order added; see {@link #remove}. */
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    /** The entry being encoded; moved into {@link #entries} by {@link #endKey}. */
    private final ByteArrayOutputStream kvBytes = new ByteArrayOutputStream();
    private String openKey;
    private final List<Tensor> tensors = new ArrayList<>();
    private final Set<String> tensorNames = new HashSet<>();

    /** Creates a writer whose metadata holds only {@code general.alignment}. */
    public GgufWriter() {
        putUInt32("general.alignment", ALIGNMENT);
    }

    /**
     * Adds an unsigned 32-bit integer.
     *
     * @throws IllegalArgumentException when the value is outside 0..2^32-1 or the key is taken
     */
    public GgufWriter putUInt32(String key, long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new IllegalArgumentException(key + ": " + value + " is not an unsigned 32-bit value");
        }
        startKey(key, ValueType.UINT32);
        writeInt((int) value);
        return endKey();
    }

    /** Adds a signed 32-bit integer. */
    public GgufWriter putInt32(String key, int value) {
        startKey(key, ValueType.INT32);
        writeInt(value);
        return endKey();
    }

    /** Adds a 32-bit float. */
    public GgufWriter putFloat32(String key, float value) {
        startKey(key, ValueType.FLOAT32);
        writeInt(Float.floatToRawIntBits(value));
        return endKey();
    }

    /** Adds a boolean (one byte, 0 or 1). */
    public GgufWriter putBool(String key, boolean value) {
        startKey(key, ValueType.BOOL);
        kvBytes.write(value ? 1 : 0);
        return endKey();
    }

    /** Adds a UTF-8 string. */
    public GgufWriter putString(String key, String value) {
        startKey(key, ValueType.STRING);
        writeString(Objects.requireNonNull(value, key));
        return endKey();
    }

    /** Adds an array of UTF-8 strings. */
    public GgufWriter putStrings(String key, List<String> values) {
        startArray(key, ValueType.STRING, values.size());
        for (String v : values) {
            writeString(Objects.requireNonNull(v, key));
        }
        return endKey();
    }

    /** Adds an array of 32-bit floats. */
    public GgufWriter putFloat32s(String key, float[] values) {
        startArray(key, ValueType.FLOAT32, values.length);
        for (float v : values) {
            writeInt(Float.floatToRawIntBits(v));
        }
        return endKey();
    }

    /** Adds an array of signed 32-bit integers. */
    public GgufWriter putInt32s(String key, int[] values) {
        startArray(key, ValueType.INT32, values.length);
        for (int v : values) {
            writeInt(v);
        }
        endKey();
        return endKey();
    }

    /**
     * Removes a key added before, so that it can be added again with another value or type (to
     * write a deliberately edited model in tests). The key's new entry goes last.
     *
     * @return this writer
     * @throws IllegalArgumentException when the key was not added
     */
    public GgufWriter remove(String key) {
        if (entries.remove(key) == null) {
            throw new IllegalArgumentException("no key " + key + " to remove");
        }
        return this;
    }

    /**
     * Declares a tensor. Its values are produced by {@code data} during {@link #write}.
     *
     * @param name the tensor name, unique, at most 63 bytes (ggml's limit)
     * @param type the element type in the file
     * @param data produces the values, first dimension fastest
     * @param dims the shape, first dimension fastest (GGUF order), one to four positive sizes
     * @throws IllegalArgumentException on a duplicate or too long name or an impossible shape
     */
    public GgufWriter addTensor(String name, TensorType type, TensorData data, long... dims) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (dims.length < 1 || dims.length > 4) {
            throw new IllegalArgumentException(name + ": a tensor has 1 to 4 dimensions, got " + dims.length);
        }
        long elements = 1;
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException(name + ": dimension " + d + " is not positive");
            }
            elements = Math.multiplyExact(elements, d);
        }
        // Checked last, so that a refused shape does not use up the name.
        if (name.getBytes(StandardCharsets.UTF_8).length > 63 || !tensorNames.add(name)) {
            throw new IllegalArgumentException("tensor name is too long or used twice: " + name);
        }
        tensors.add(new Tensor(name, type, dims.clone(), elements, data));
        return this;
    }

    /**
     * Writes the file, replacing any file at that path. Every tensor, the last one included, is
     * padded to the alignment, as llama.cpp's own writer does. On failure the file is left incomplete:
     * callers that need atomicity write to a temporary name and rename (as {@link DemoModels}
     * does).
     *
     * @throws IOException when writing fails or a {@link TensorData} fails
     * @throws IllegalStateException when a {@link TensorData} puts too few or too many values
     */
    public void write(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            TensorOutput out = new TensorOutput(channel, BUFFER_BYTES);
            out.putBytes(MAGIC);
            out.putInt(VERSION);
            out.putLong(tensors.size());
            out.putLong(entries.size());
            for (byte[] entry : entries.values()) {
                out.putBytes(entry);
            }
            long offset = 0;
            for (Tensor t : tensors) {
                out.putString(t.name);
                out.putInt(t.dims.length);
                for (long d : t.dims) {
                    out.putLong(d);
                }
                out.putInt(t.type.ggml.id);
                out.putLong(offset);
                offset = align(offset + t.type.ggml.bytesFor(t.elements));
            }
            out.padTo(ALIGNMENT);
            for (Tensor t : tensors) {
                out.begin(t.name, t.type, t.elements);
                t.data.writeTo(out);
                out.end();
                out.padTo(ALIGNMENT);
            }
            out.flush();
        }
    }

    static long align(long position) {
        return (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    private void startKey(String key, ValueType type) {
        if (key == null || key.isEmpty() || entries.containsKey(key)) {
            throw new IllegalArgumentException("key is empty or used twice: " + key);
        }
        kvBytes.reset();
        openKey = key;
        writeString(key);
        writeInt(type.id());
    }

    private GgufWriter endKey() {
        entries.put(openKey, kvBytes.toByteArray());
        return this;
    }

    private void startArray(String key, ValueType elementType, int count) {
        startKey(key, ValueType.ARRAY);
        writeInt(elementType.id());
        writeLong(count);
    }

    private void writeString(String s) {
        byte[] bytes = utf8(s);
        writeLong(bytes.length);
        kvBytes.writeBytes(bytes);
    }

    private void writeInt(int v) {
        kvBytes.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private void writeLong(long v) {
        kvBytes.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private record Tensor(String name, TensorType type, long[] dims, long elements, TensorData data) {
    }
}
