package dev.helios4j.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.local.internal.ModelSource;
import dev.helios4j.InvalidModelException;
import dev.helios4j.Llm;
import dev.helios4j.ModelNotFoundException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad files reach the provider through Llm.open and fail clearly; the JVM lives on to the next test. */
class BadModelFilesTest {
    @TempDir
    Path dir;

    private InvalidModelException openFails(Path file) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> Llm.open("llamacpp:" + file, TestModels.settings()));
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        return e;
    }

    private byte[] demoBytes() throws Exception {
        return Files.readAllBytes(ModelSource.demo(dir.resolve("cache")).file());
    }

    @Test
    void emptyFile() throws Exception {
        openFails(Files.createFile(dir.resolve("empty.gguf")));
    }

    @Test
    void randomBytes() throws Exception {
        byte[] noise = new byte[1 << 16];
        new Random(1).nextBytes(noise);
        openFails(Files.write(dir.resolve("noise.gguf"), noise));
    }

    @Test
    void wrongMagic() throws Exception {
        byte[] bytes = demoBytes();
        bytes[0] = 'X';
        openFails(Files.write(dir.resolve("magic.gguf"), bytes));
    }

    @Test
    void truncatedAtTenOffsets() throws Exception {
        byte[] bytes = demoBytes();
        int[] cuts = {3, 7, 15, 23, 40, 300, 5_000, 60_000, bytes.length / 2, bytes.length - 1};
        for (int cut : cuts) {
            openFails(Files.write(dir.resolve("cut-" + cut + ".gguf"), Arrays.copyOf(bytes, cut)));
        }
    }

    @Test
    void absurdTensorAndKeyCounts() throws Exception {
        byte[] bytes = demoBytes();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(8, Long.MAX_VALUE / 2);
        openFails(Files.write(dir.resolve("tensors.gguf"), bytes));
        bytes = demoBytes();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(16, 1L << 40);
        openFails(Files.write(dir.resolve("keys.gguf"), bytes));
    }

    @Test
    void missingFileNamesThePath() {
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> Llm.open("llamacpp:" + dir.resolve("nope.gguf"), TestModels.settings()));
        assertTrue(e.getMessage().contains("nope.gguf"), e.getMessage());
    }

    @Test
    void theJvmIsStillAliveAndTheModelStillWorks() {
        try (var llm = TestModels.demo()) {
            assertEquals(dev.helios4j.local.internal.gguf.DemoModels.CHAT_ANSWER, llm.chat("Hello"));
        }
    }
}
