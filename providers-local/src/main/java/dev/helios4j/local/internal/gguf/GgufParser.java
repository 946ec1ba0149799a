package dev.helios4j.local.internal.gguf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses and checks a GGUF header (versions 2 and 3, little-endian) the way llama.cpp's loader
 * would, but in Java, and then checks what the loader leaves to mmap: that every tensor's data lies
 * inside the file. Every count and length is bounded by the bytes that remain in the file before
 * anything is allocated, and the whole header by {@link #MAX_HEADER_BYTES}.
 */
final class GgufParser {
    /**
     * The most bytes of metadata and tensor infos accepted. The largest real headers (vocabularies
     * of 250,000 tokens with scores, types and merges) take a few MB; this bound is what keeps a
     * damaged 30 GB file from making us allocate gigabytes of "strings".
     */
    static final long MAX_HEADER_BYTES = 64L << 20;
    /** More keys or tensors than any real model has by two orders of magnitude. */
    static final long MAX_KEYS = 65_536;
    static final long MAX_TENSORS = 65_536;
    static final int MAX_DIMS = 4;
    static final int MAX_TENSOR_NAME_BYTES = 63;

    /** A tensor info takes at least: name length, dimension count, type, offset. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
    /** A key/value takes at least: key length, value type, one byte of value. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;

    private final HeaderInput in;

    private GgufParser(HeaderInput in) {
        this.in = in;
    }

    static Parsed parse(HeaderInput in) throws GgufFormatException, IOException {
        return new GgufParser(in).parse();
    }

    /** What the parser found; {@link GgufHeader} adds the file and the public accessors. */
    record Parsed(int version, long fileSize, int alignment, long dataOffset,
                  Map<String, Object> metadata, List<GgufHeader.TensorInfo> tensors) {
    }

    private Parsed parse() throws GgufFormatException, IOException {
        checkMagic();
        in.context = "the version number";
        long version = in.u32();
        checkVersion(version);
        in.context = "the tensor count";
        long tensorCount = in.i64();
        in.context = "the key/value count";
        long kvCount = in.i64();
        checkCount(tensorCount, "tensors", MIN_TENSOR_INFO_BYTES, MAX_TENSORS);
        checkCount(kvCount, "key/value pairs", MIN_KV_BYTES, MAX_KEYS);

        Map<String, Object> metadata = new LinkedHashMap<>();
        int alignment = GgufWriter.ALIGNMENT;
        for (long i = 0; i < kvCount; i++) {
            in.context = "the name of key/value pair #" + i;
            String key = in.string(budget());
            if (metadata.containsKey(key)) {
                throw GgufFormatException.damaged("the key '" + key + "' appears twice");
            }
            in.context = "the value of key '" + key + "'";
            long typeId = in.u32();
            ValueType type = valueType(typeId, key);
            Object value = type == ValueType.ARRAY ? readArray(key) : readScalar(type, key);
            if (key.equals("general.alignment")) {
                alignment = checkAlignment(type, value);
            }
            metadata.put(key, value);
        }

        List<RawTensor> raw = new ArrayList<>((int) tensorCount);
        Set<String> names = new HashSet<>();
        for (long i = 0; i < tensorCount; i++) {
            RawTensor t = readTensorInfo(i, alignment);
            if (!names.add(t.name)) {
                throw GgufFormatException.damaged("the tensor name '" + t.name + "' appears twice");
            }
            raw.add(t);
        }
        long dataOffset = alignUp(in.position(), alignment);
        List<GgufHeader.TensorInfo> tensors = new ArrayList<>(raw.size());
        for (RawTensor t : raw) {
            tensors.add(placeTensor(t, dataOffset));
        }
        return new Parsed((int) version, in.size(), alignment, dataOffset, metadata, tensors);
    }

    private void checkMagic() throws GgufFormatException, IOException {
        long size = in.size();
        if (size == 0) {
            throw new GgufFormatException("the file is empty (0 bytes)", true);
        }
        int n = (int) Math.min(4, size);
        byte[] magic = new byte[n];
        in.context = "the magic number";
        in.bytes(magic, 0, n);
        if (n < 4 || magic[0] != 'G' || magic[1] != 'G' || magic[2] != 'U' || magic[3] != 'F') {
            throw new GgufFormatException("it starts with bytes " + hex(magic)
                    + (n < 4 ? " and then ends" : "") + ", expected 'GGUF' (47 47 55 46)", true);
        }
    }

    private static void checkVersion(long version) throws GgufFormatException {
        if (version == 2 || version == 3) {
            return;
        }
        if (version == 1) {
            throw GgufFormatException.damaged("it is GGUF version 1, which llama.cpp no longer reads;"
                    + " convert it again with a current llama.cpp");
        }
        if ((version & 0xffff) == 0 && Integer.reverseBytes((int) version) >= 1
                && Integer.reverseBytes((int) version) <= 3) {
            throw GgufFormatException.damaged("it is a big-endian GGUF file (version "
                    + Integer.reverseBytes((int) version) + "); only little-endian files can be loaded here");
        }
        throw GgufFormatException.damaged("it has GGUF version " + version + "; versions 2 and 3 are supported");
    }

    private void checkCount(long count, String what, int minBytes, long max) throws GgufFormatException {
        long fits = in.remaining() / minBytes;
        if (count < 0 || count > fits) {
            throw GgufFormatException.damaged("it declares " + Long.toUnsignedString(count) + " " + what
                    + ", but a file of " + in.size() + " bytes can hold at most " + fits
                    + "; it is truncated or damaged");
        }
        if (count > max) {
            throw GgufFormatException.damaged("it declares " + count + " " + what
                    + ", more than the " + max + " this reader accepts; real models have a few thousand at most");
        }
    }

    private static ValueType valueType(long typeId, String key) throws GgufFormatException {
        ValueType type = ValueType.byId(typeId);
        if (type == null) {
            throw GgufFormatException.damaged("the key '" + key + "' has unknown value type " + typeId);
        }
        return type;
    }

    private Object readScalar(ValueType type, String key) throws GgufFormatException, IOException {
        switch (type) {
            case UINT8: return in.u8();
            case INT8: return (int) (byte) in.u8();
            case UINT16: return in.i16() & 0xffff;
            case INT16: return (int) in.i16();
            case UINT32: return in.u32();
            case INT32: return in.i32();
            case FLOAT32: return in.f32();
            case BOOL: return readBool(key);
            case STRING: return in.string(budget());
            case UINT64: // unsigned values above 2^63 read as negative longs, as documented
            case INT64: return in.i64();
            case FLOAT64: return in.f64();
            default: throw new AssertionError(type);
        }
    }

    private boolean readBool(String key) throws GgufFormatException, IOException {
        int b = in.u8();
        if (b > 1) {
            throw GgufFormatException.damaged("the key '" + key + "' holds a boolean of value " + b
                    + " at byte " + (in.position() - 1) + "; only 0 and 1 are booleans");
        }
        return b == 1;
    }

    private List<?> readArray(String key) throws GgufFormatException, IOException {
        ValueType type = valueType(in.u32(), key);
        if (type == ValueType.ARRAY) {
            throw GgufFormatException.damaged("the key '" + key + "' holds an array of arrays,"
                    + " which llama.cpp does not read");
        }
        long count = in.i64();
        long atLeast = count < 0 ? -1 : (count > Long.MAX_VALUE / type.minBytes ? -1 : count * type.minBytes);
        if (atLeast < 0 || atLeast > in.remaining()) {
            throw GgufFormatException.damaged("the key '" + key + "' claims an array of "
                    + Long.toUnsignedString(count) + " " + type + " values at byte " + (in.position() - 8)
                    + ", which needs more bytes than the " + in.remaining() + " that follow in the file;"
                    + " it is truncated or damaged");
        }
        if (atLeast > budget()) {
            throw tooLarge("the array of key '" + key + "' (" + count + " values)");
        }
        int n = (int) count;
        switch (type) {
            case STRING: return readStrings(n);
            case UINT8: case INT8: case UINT16: case INT16: case INT32: {
                int[] values = new int[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (Integer) readScalar(type, key);
                }
                return new CompactLists.Ints(values);
            }
            case UINT32: case UINT64: case INT64: {
                long[] values = new long[n];
                for (int i = 0; i < n; i++) {
                    values[i] = (Long) readScalar(type, key);
                }
                return new CompactLists.Longs(values);
            }
            case FLOAT32: {
                float[] values = new float[n];
                for (int i = 0; i < n; i++) {
                    values[i] = in.f32();
                }
                return new CompactLists.Floats(values);
            }
            case FLOAT64: {
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = in.f64();
                }
                return new CompactLists.Doubles(values);
            }
            case BOOL: {
                boolean[] values = new boolean[n];
                for (int i = 0; i < n; i++) {
                    values[i] = readBool(key);
                }
                return new CompactLists.Booleans(values);
            }
            default: throw new AssertionError(type);
        }
    }

    private List<String> readStrings(int n) throws GgufFormatException, IOException {
        int[] ends = new int[n];
        // Grows by doubling; every length is checked against the file and the header budget first.
        byte[] blob = new byte[(int) Math.min(budget(), 16L * n + 16)];
        int used = 0;
        for (int i = 0; i < n; i++) {
            long length = in.i64();
            in.checkLength(length, budget());
            if (used + length > blob.length) {
                long grown = Math.max(used + length, Math.min(2L * blob.length, MAX_HEADER_BYTES));
                blob = Arrays.copyOf(blob, (int) grown);
            }
            in.bytes(blob, used, (int) length);
            used += (int) length;
            ends[i] = used;
        }
        return new CompactLists.Strings(CompactLists.Strings.trim(blob, used), ends);
    }

    private static int checkAlignment(ValueType type, Object value) throws GgufFormatException {
        if (type != ValueType.UINT32) {
            throw GgufFormatException.damaged("general.alignment has type " + type + "; it must be UINT32");
        }
        long a = (Long) value;
        if (a == 0 || Long.bitCount(a) != 1 || a > (1 << 20)) {
            throw GgufFormatException.damaged("general.alignment is " + a + "; it must be a power of two");
        }
        return (int) a;
    }

    private record RawTensor(String name, long[] dims, GgmlType type, long offset, long bytes) {
    }

    private RawTensor readTensorInfo(long index, int alignment) throws GgufFormatException, IOException {
        in.context = "the name of tensor #" + index;
        String name = in.string(Math.min(MAX_TENSOR_NAME_BYTES, budget()));
        in.context = "the description of tensor '" + name + "'";
        long nDims = in.u32();
        if (nDims > MAX_DIMS) {
            throw GgufFormatException.damaged("tensor '" + name + "' has " + nDims
                    + " dimensions; ggml allows at most " + MAX_DIMS);
        }
        long[] dims = new long[(int) nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            dims[d] = in.i64();
            if (dims[d] < 0) {
                throw GgufFormatException.damaged("tensor '" + name + "' has a negative dimension " + dims[d]);
            }
            try {
                elements = Math.multiplyExact(elements, dims[d]);
            } catch (ArithmeticException e) {
                throw GgufFormatException.damaged("tensor '" + name + "' has dimensions "
                        + Arrays.toString(Arrays.copyOf(dims, d + 1)) + " whose product overflows");
            }
        }
        long typeId = in.u32();
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) {
            throw GgufFormatException.damaged("tensor '" + name + "' has tensor type " + typeId
                    + ", which the bundled llama.cpp does not know");
        }
        if (nDims > 0 && dims[0] % type.blockSize != 0) {
            throw GgufFormatException.damaged("tensor '" + name + "' of type " + type + " has a first dimension of "
                    + dims[0] + ", not a multiple of the type's block size " + type.blockSize);
        }
        long offset = in.i64();
        if (offset < 0 || offset % alignment != 0) {
            throw GgufFormatException.damaged("tensor '" + name + "' has data offset "
                    + Long.toUnsignedString(offset) + ", which is not a multiple of the alignment " + alignment);
        }
        if (in.position() > MAX_HEADER_BYTES) {
            throw tooLarge("the tensor descriptions");
        }
        return new RawTensor(name, dims, type, offset, type.bytesFor(elements));
    }

    private GgufHeader.TensorInfo placeTensor(RawTensor t, long dataOffset) throws GgufFormatException {
        long start;
        long end;
        try {
            start = Math.addExact(dataOffset, t.offset);
            end = Math.addExact(start, t.bytes);
        } catch (ArithmeticException e) {
            throw GgufFormatException.damaged("tensor '" + t.name + "' lies beyond byte 2^63");
        }
        if (end > in.size()) {
            throw GgufFormatException.damaged("tensor '" + t.name + "' (" + t.type + " " + Arrays.toString(t.dims)
                    + ") lies at bytes " + start + ".." + end + ", but the file ends at byte " + in.size()
                    + "; it is truncated (" + (end - in.size()) + " bytes missing), probably an incomplete download");
        }
        List<Long> dims = new ArrayList<>(t.dims.length);
        for (long d : t.dims) {
            dims.add(d);
        }
        return new GgufHeader.TensorInfo(t.name, t.type.name(), dims, start, t.bytes);
    }

    private long budget() {
        return Math.max(0, MAX_HEADER_BYTES - in.position());
    }

    private GgufFormatException tooLarge(String what) {
        return GgufFormatException.damaged(what + " would take the header past " + (MAX_HEADER_BYTES >> 20)
                + " MiB at byte " + in.position() + "; real models' headers take a few MB, so the file is damaged");
    }

    private static long alignUp(long position, int alignment) {
        return (position + alignment - 1) / alignment * alignment;
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", b & 0xff));
        }
        return sb.toString();
    }
}
