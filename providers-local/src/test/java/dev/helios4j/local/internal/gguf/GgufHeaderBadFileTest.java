package dev.helios4j.local.internal.gguf;

import dev.helios4j.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every damaged file gives an InvalidModelException naming the file and the problem, nothing else. */
class GgufHeaderBadFileTest {

    @TempDir
    Path dir;

    static Stream<Arguments> damagedHeaders() {
        return Stream.of(
                Arguments.of("an ELF binary", new Raw().bytes(0x7f, 'E', 'L', 'F', 2, 1, 1, 0).pad(64),
                        "is not a GGUF model file: it starts with bytes 7f 45 4c 46, expected 'GGUF'"),
                Arguments.of("version 1", new Raw().bytes('G', 'G', 'U', 'F').u32(1).pad(64), "GGUF version 1"),
                Arguments.of("version 99", new Raw().bytes('G', 'G', 'U', 'F').u32(99).pad(64),
                        "GGUF version 99; versions 2 and 3 are supported"),
                Arguments.of("big-endian", new Raw().bytes('G', 'G', 'U', 'F', 0, 0, 0, 3).pad(64), "big-endian"),
                Arguments.of("absurd tensor count", gguf(Long.MAX_VALUE, 0).pad(1024),
                        "declares 9223372036854775807 tensors, but a file of 1024 bytes can hold at most 41"),
                Arguments.of("tensor count above 2^63", gguf(-1, 0).pad(1024), "declares 18446744073709551615 tensors"),
                Arguments.of("absurd key count", gguf(0, 1L << 40).pad(1024), "declares 1099511627776 key/value pairs"),
                Arguments.of("absurd string length", gguf(0, 1).u64(1L << 40).pad(1024),
                        "the name of key/value pair #0 claims a length of 1099511627776 bytes"),
                Arguments.of("absurd array length", gguf(0, 1).str("a").u32(9).u32(8).u64(1L << 40).pad(1024),
                        "the key 'a' claims an array of 1099511627776 STRING values"),
                Arguments.of("unknown value type", gguf(0, 1).str("a").u32(13).pad(64), "unknown value type 13"),
                Arguments.of("boolean of 2", gguf(0, 1).str("a").u32(7).bytes(2).pad(64), "a boolean of value 2"),
                Arguments.of("duplicate key", gguf(0, 2).str("a").u32(7).bytes(1).str("a").u32(7).bytes(1).pad(64),
                        "the key 'a' appears twice"),
                Arguments.of("nested array", gguf(0, 1).str("a").u32(9).u32(9).u64(1).pad(64), "an array of arrays"),
                Arguments.of("alignment 3", gguf(0, 1).str("general.alignment").u32(4).u32(3).pad(64),
                        "general.alignment is 3"),
                Arguments.of("signed alignment", gguf(0, 1).str("general.alignment").u32(5).u32(32).pad(64),
                        "general.alignment has type INT32"),
                Arguments.of("five dimensions", gguf(1, 0).str("t").u32(5).pad(200), "tensor 't' has 5 dimensions"),
                Arguments.of("negative dimension", tensor("t", 0, 0, -5).pad(200), "negative dimension -5"),
                Arguments.of("overflowing shape", tensor("t", 0, 0, 1L << 40, 1L << 40).pad(200),
                        "whose product overflows"),
                Arguments.of("unknown tensor type", tensor("t", 99, 0, 1).pad(200), "tensor type 99"),
                Arguments.of("partial quantization block", tensor("t", 2, 0, 33).pad(200),
                        "not a multiple of the type's block size 32"),
                Arguments.of("misaligned data", tensor("t", 0, 3, 1).pad(200), "data offset 3"),
                Arguments.of("tensor name of 64 bytes", gguf(1, 0).str("x".repeat(64)).pad(200),
                        "the name of tensor #0 claims a length of 64 bytes"),
                Arguments.of("duplicate tensor", gguf(2, 0).str("t").u32(1).u64(1).u32(0).u64(0)
                        .str("t").u32(1).u64(1).u32(0).u64(32).pad(200), "the tensor name 't' appears twice"),
                Arguments.of("tensor beyond the end", tensor("t", 0, 0, 1000).pad(100),
                        "tensor 't' (F32 [1000]) lies at bytes 64..4064, but the file ends at byte 100; it is truncated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedHeaders")
    void damagedHeaderIsReportedExactly(String what, Raw content, String expected) throws IOException {
        Path file = dir.resolve("bad.gguf");
        Files.write(file, content.toBytes());
        assertRejected(file, expected);
    }

    @Test
    void emptyFileIsNotAModel() throws IOException {
        Path file = Files.createFile(dir.resolve("empty.gguf"));
        assertRejected(file, "is not a GGUF model file: the file is empty (0 bytes)");
    }

    @Test
    void randomBytesAreNotAModel() throws IOException {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 0x13;
        Path file = Files.write(dir.resolve("noise.gguf"), noise);
        assertRejected(file, "is not a GGUF model file: it starts with bytes 13 ");
    }

    @Test
    void missingFileAndFolderAreNotModels() throws IOException {
        assertRejected(dir.resolve("absent.gguf"), "is not a model file: it does not exist");
        assertRejected(Files.createDirectory(dir.resolve("folder.gguf")), "is not a model file: it is not a regular file");
    }

    @Test
    void demoModelTruncatedAnywhereIsReportedAsTruncated() throws IOException {
        Path whole = DemoModels.writeDemo(dir.resolve("demo.gguf"));
        byte[] bytes = Files.readAllBytes(whole);
        GgufHeader header = GgufHeader.read(whole);
        Map<String, Long> cuts = new LinkedHashMap<>();
        cuts.put("in the magic", 2L);
        cuts.put("in the version", 6L);
        cuts.put("in the tensor count", 15L);
        cuts.put("in the key count", 23L);
        cuts.put("in the first key", 30L);
        cuts.put("in the vocabulary", indexOf(bytes, "<0x41>") + 3);
        cuts.put("in the chat template", indexOf(bytes, "{% for") + 10);
        cuts.put("in the tensor infos", indexOf(bytes, "blk.0.attn_q.weight") + 5);
        cuts.put("in the first tensor's data", header.dataOffset() + 100);
        cuts.put("one byte before the end", bytes.length - 1L);
        for (Map.Entry<String, Long> cut : cuts.entrySet()) {
            Path file = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(bytes, cut.getValue().intValue()));
            InvalidModelException e = assertThrows(InvalidModelException.class, () -> GgufHeader.read(file),
                    cut.getKey());
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("and then ends"),
                    cut.getKey() + ": " + e.getMessage());
        }
    }

    @Test
    void moreTensorsThanAnyModelHasAreRefusedEvenWhenTheFileIsLargeEnough() throws IOException {
        Path file = sparse(gguf(100_000, 0), 4L << 20);
        assertRejected(file, "declares 100000 tensors, more than the 65536 this reader accepts");
    }

    @Test
    void aStringLargerThanAnyHeaderIsRefusedBeforeItIsAllocated() throws IOException {
        Path file = sparse(gguf(0, 1).str("general.name").u32(8).u64(100L << 20), 200L << 20);
        assertRejected(file, "the value of key 'general.name' claims a length of 104857600 bytes");
    }

    @Test
    void goodHeaderAfterTheseFailuresStillReads() throws IOException {
        // The reader keeps no state between files.
        Path file = Files.write(dir.resolve("ok.gguf"), gguf(0, 0).toBytes());
        assertEquals(0, GgufHeader.read(file).tensorCount());
    }

    private static void assertRejected(Path file, String expected) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> GgufHeader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), () -> "expected \"" + expected + "\" in: " + e.getMessage());
    }

    private Path sparse(Raw header, long size) throws IOException {
        Path file = Files.write(dir.resolve("sparse.gguf"), header.toBytes());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
        return file;
    }

    private static long indexOf(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(needle + " not found");
    }

    private static Raw gguf(long tensors, long keys) {
        return new Raw().bytes('G', 'G', 'U', 'F').u32(3).u64(tensors).u64(keys);
    }

    private static Raw tensor(String name, int type, long offset, long... dims) {
        Raw r = gguf(1, 0).str(name).u32(dims.length);
        for (long d : dims) {
            r.u64(d);
        }
        return r.u32(type).u64(offset);
    }

    /** Hand-made file contents, little-endian. */
    static final class Raw {
        private final ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        Raw bytes(int... values) {
            for (int v : values) {
                b.put((byte) v);
            }
            return this;
        }

        Raw u32(long v) {
            b.putInt((int) v);
            return this;
        }

        Raw u64(long v) {
            b.putLong(v);
            return this;
        }

        Raw str(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.putLong(bytes.length).put(bytes);
            return this;
        }

        Raw pad(int size) {
            while (b.position() < size) {
                b.put((byte) 0);
            }
            return this;
        }

        byte[] toBytes() {
            return Arrays.copyOf(b.array(), b.position());
        }

        @Override
        public String toString() {
            return b.position() + " bytes";
        }
    }
}
