package dev.helios4j.local.internal.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GgufRoundTripTest {

    @TempDir
    Path dir;

    private static GgufWriter sample() {
        return new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", "round trip \u00e9\u2581")
                .putUInt32("llama.context_length", 4096)
                .putUInt32("big", 0xffff_fffeL)
                .putInt32("negative", -7)
                .putFloat32("eps", 1e-5f)
                .putBool("yes", true)
                .putBool("no", false)
                .putStrings("strings", List.of("", "a", "\u2581b\u00fc", "<0x0A>"))
                .putFloat32s("floats", new float[] {0f, -1.5f, Float.MAX_VALUE})
                .putInt32s("ints", new int[] {3, -4, Integer.MIN_VALUE})
                .putStrings("empty", List.of())
                .addTensor("f32", GgufWriter.TensorType.F32, out -> out.put(new float[] {1, 2, 3}), 3)
                .addTensor("f16", GgufWriter.TensorType.F16, out -> {
                    for (int i = 0; i < 6; i++) {
                        out.put(i * 0.5f);
                    }
                }, 3, 2)
                .addTensor("big", GgufWriter.TensorType.F16, out -> out.fill(0.25f, 4 * 5 * 6 * 7), 4, 5, 6, 7);
    }

    @Test
    void readerReturnsEveryValueTheWriterWrote() throws IOException {
        Path file = dir.resolve("sample.gguf");
        sample().write(file);

        GgufHeader h = GgufHeader.read(file);

        assertEquals(3, h.version());
        assertEquals(32, h.alignment());
        Map<String, Object> m = h.metadata();
        assertEquals(List.of("general.alignment", "general.architecture", "general.name", "llama.context_length",
                "big", "negative", "eps", "yes", "no", "strings", "floats", "ints", "empty"), List.copyOf(m.keySet()));
        assertEquals(32L, m.get("general.alignment"));
        assertEquals("round trip \u00e9\u2581", h.name().orElseThrow());
        assertEquals("llama", h.architecture().orElseThrow());
        assertEquals(4096, h.contextLength().orElseThrow());
        assertEquals(0xffff_fffeL, m.get("big"));
        assertEquals(-7, m.get("negative"));
        assertEquals(-7, h.getLong("negative").orElseThrow());
        assertEquals(1e-5f, m.get("eps"));
        assertEquals(true, m.get("yes"));
        assertEquals(false, m.get("no"));
        assertEquals(List.of("", "a", "\u2581b\u00fc", "<0x0A>"), m.get("strings"));
        assertEquals(List.of(0f, -1.5f, Float.MAX_VALUE), m.get("floats"));
        assertEquals(List.of(3, -4, Integer.MIN_VALUE), m.get("ints"));
        assertEquals(List.of(), m.get("empty"));
        assertTrue(h.get("missing").isEmpty());
        assertTrue(h.getString("llama.context_length").isEmpty(), "a number is not a string");
        assertTrue(h.chatTemplate().isEmpty());
        assertTrue(h.bosTokenId().isEmpty());
    }

    @Test
    void tensorsAreDescribedAlignedAndStoredAsWritten() throws IOException {
        Path file = dir.resolve("sample.gguf");
        sample().write(file);

        GgufHeader h = GgufHeader.read(file);

        assertEquals(3, h.tensorCount());
        GgufHeader.TensorInfo f32 = h.tensors().get(0);
        GgufHeader.TensorInfo f16 = h.tensors().get(1);
        GgufHeader.TensorInfo big = h.tensors().get(2);
        assertEquals(new GgufHeader.TensorInfo("f32", "F32", List.of(3L), h.dataOffset(), 12), f32);
        assertEquals(new GgufHeader.TensorInfo("f16", "F16", List.of(3L, 2L), h.dataOffset() + 32, 12), f16);
        assertEquals(List.of(4L, 5L, 6L, 7L), big.dims());
        assertEquals(h.dataOffset() + 64, big.fileOffset());
        assertEquals(0, h.dataOffset() % 32);
        assertEquals(Files.size(file), GgufWriter.align(big.fileOffset() + 4 * 5 * 6 * 7 * 2),
                "the file ends with the last tensor, padded");

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2f, bytes.getFloat((int) f32.fileOffset() + 4));
        assertEquals(2.5f, Half.toFloat(bytes.getShort((int) f16.fileOffset() + 10)));
        assertEquals(0.25f, Half.toFloat(bytes.getShort((int) big.fileOffset() + 2 * 839)));
    }

    @Test
    void sameCallsWriteTheSameBytes() throws IOException {
        Path a = dir.resolve("a.gguf");
        Path b = dir.resolve("b.gguf");
        sample().write(a);
        sample().write(b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void tensorDataWithTheWrongNumberOfValuesIsRefused() {
        GgufWriter tooFew = new GgufWriter()
                .addTensor("t", GgufWriter.TensorType.F32, out -> out.put(1f), 2);
        IllegalStateException few = assertThrows(IllegalStateException.class, () -> tooFew.write(dir.resolve("x")));
        assertTrue(few.getMessage().contains("missing 1 values"), few.getMessage());

        GgufWriter tooMany = new GgufWriter()
                .addTensor("t", GgufWriter.TensorType.F16, out -> out.put(new float[3]), 2);
        assertThrows(IllegalStateException.class, () -> tooMany.write(dir.resolve("y")));
    }

    @Test
    void duplicateKeysBadValuesAndBadShapesAreRefused() {
        GgufWriter w = new GgufWriter().putInt32("k", 1);
        assertThrows(IllegalArgumentException.class, () -> w.putString("k", "again"));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt32("general.alignment", 64));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt32("u", -1));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt32("u", 1L << 32));
        GgufWriter.TensorData none = out -> { };
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("t", GgufWriter.TensorType.F32, none, 0));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("t", GgufWriter.TensorType.F32, none));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("t", GgufWriter.TensorType.F32, none, 1, 1, 1, 1, 1));
        assertThrows(IllegalArgumentException.class,
                () -> w.addTensor("x".repeat(64), GgufWriter.TensorType.F32, none, 1));
        w.addTensor("t", GgufWriter.TensorType.F32, none, 1);
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("t", GgufWriter.TensorType.F32, none, 1));
    }

    @Test
    void aRemovedKeyCanBeWrittenAgainWithAnotherTypeAndGoesLast() throws IOException {
        Path file = dir.resolve("edited.gguf");
        sample().remove("eps").putString("eps", "not a number").remove("strings").putStrings("strings", List.of())
                .write(file);

        GgufHeader h = GgufHeader.read(file);

        assertEquals(List.of("general.alignment", "general.architecture", "general.name", "llama.context_length",
                "big", "negative", "yes", "no", "floats", "ints", "empty", "eps", "strings"),
                List.copyOf(h.metadata().keySet()));
        assertEquals("not a number", h.getString("eps").orElseThrow());
        assertEquals(List.of(), h.get("strings").orElseThrow());
        assertEquals(3, h.tensorCount());
        assertThrows(IllegalArgumentException.class, () -> new GgufWriter().remove("absent"));
    }
}
