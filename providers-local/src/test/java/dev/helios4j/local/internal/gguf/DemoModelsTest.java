package dev.helios4j.local.internal.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated files themselves, read back with the Java reader (no native code). */
class DemoModelsTest {

    @TempDir
    Path dir;

    @Test
    void demoModelIsTheSameByteForByteEveryTime() throws IOException {
        Path a = DemoModels.writeDemo(dir.resolve("a.gguf"));
        Path b = DemoModels.writeDemo(dir.resolve("b.gguf"));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        // 1.7 MB before the typed-answer pieces (and their prefixes) widened it from 384 to 512; 2.36 MB since.
        assertTrue(Files.size(a) < 2_500_000, "tiny: " + Files.size(a));
    }

    @Test
    void demoHeaderDescribesALlamaChatModel() throws IOException {
        GgufHeader h = GgufHeader.read(DemoModels.writeDemo(dir.resolve("demo.gguf")));

        assertEquals("llama", h.architecture().orElseThrow());
        assertEquals(DemoModels.MODEL_NAME, h.name().orElseThrow());
        assertEquals(DemoModels.CONTEXT_LENGTH, h.contextLength().orElseThrow());
        assertEquals(DemoModels.CHAT_TEMPLATE, h.chatTemplate().orElseThrow());
        assertEquals(1, h.bosTokenId().orElseThrow());
        assertEquals(2, h.eosTokenId().orElseThrow());

        @SuppressWarnings("unchecked")
        List<String> tokens = (List<String>) h.get("tokenizer.ggml.tokens").orElseThrow();
        @SuppressWarnings("unchecked")
        List<Integer> types = (List<Integer>) h.get("tokenizer.ggml.token_type").orElseThrow();
        int endOfTurn = (int) h.getLong("tokenizer.ggml.eot_token_id").orElseThrow();
        assertEquals(DemoModels.END_OF_TURN, tokens.get(endOfTurn));
        assertEquals(3, types.get(endOfTurn), "control token, so it ends generation and is not printed");
        assertEquals(List.of("<unk>", "<s>", "</s>", "<0x00>"), tokens.subList(0, 4));
        assertEquals("<0xFF>", tokens.get(258));
        assertEquals(6, types.get(258), "byte token");
        for (String prefix : List.of("\u2581h", "\u2581he", "\u2581helios", "\u2581helios4", "\u2581helios4j")) {
            assertTrue(tokens.contains(prefix), prefix);
        }
        assertEquals(tokens.size(), h.getLong("llama.vocab_size").orElseThrow());
    }

    @Test
    void demoTensorsHaveTheLlamaNamesAndABigramOutputTable() throws IOException {
        GgufHeader h = GgufHeader.read(DemoModels.writeDemo(dir.resolve("demo.gguf")));
        long width = h.getLong("llama.embedding_length").orElseThrow();
        long vocab = h.getLong("llama.vocab_size").orElseThrow();

        assertEquals(List.of("token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_q.weight",
                "blk.0.attn_k.weight", "blk.0.attn_v.weight", "blk.0.attn_output.weight", "blk.0.ffn_norm.weight",
                "blk.0.ffn_gate.weight", "blk.0.ffn_down.weight", "blk.0.ffn_up.weight", "output_norm.weight",
                "output.weight"), h.tensors().stream().map(GgufHeader.TensorInfo::name).collect(Collectors.toList()));
        assertTrue(width >= vocab, "one-hot embeddings need a width of at least the vocabulary");
        GgufHeader.TensorInfo output = h.tensors().get(11);
        assertEquals(List.of(width, vocab), output.dims());
        assertEquals("F16", output.type());
        assertEquals(h.fileSize(), output.fileOffset() + output.byteSize());
    }

    @Test
    void writingOverAModelReplacesItAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("cache/models/demo.gguf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "an old, broken model");

        assertEquals(file, DemoModels.writeDemo(file));

        assertEquals("llama", GgufHeader.read(file).architecture().orElseThrow());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.collect(Collectors.toList()));
        }
    }

    @Test
    void randomModelHasTheRequestedShapeAndTheSameBytesForTheSameSeed() throws IOException {
        DemoModels.RandomShape shape = new DemoModels.RandomShape(1000, 128, 2, 4, 256, 512, 7);
        Path a = DemoModels.writeRandom(dir.resolve("a.gguf"), shape);
        Path b = DemoModels.writeRandom(dir.resolve("b.gguf"), shape);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));

        GgufHeader h = GgufHeader.read(a);
        assertEquals(512, h.contextLength().orElseThrow());
        assertEquals(2, h.getLong("llama.block_count").orElseThrow());
        assertEquals(4, h.getLong("llama.attention.head_count").orElseThrow());
        assertEquals(1000, ((List<?>) h.get("tokenizer.ggml.tokens").orElseThrow()).size());
        assertEquals(List.of(128L, 256L), h.tensors().stream()
                .filter(t -> t.name().equals("blk.1.ffn_up.weight")).findFirst().orElseThrow().dims());
        long params = 2L * 1000 * 128 + 2 * (4L * 128 * 128 + 3L * 128 * 256);
        assertTrue(h.fileSize() > params * 2 && h.fileSize() < params * 2 + 200_000, "F16: " + h.fileSize());

        Path other = DemoModels.writeRandom(dir.resolve("c.gguf"),
                new DemoModels.RandomShape(1000, 128, 2, 4, 256, 512, 8));
        assertTrue(!java.util.Arrays.equals(Files.readAllBytes(a), Files.readAllBytes(other)), "the seed matters");
    }

    @Test
    void benchmarkShapeIsALlamaOf134MillionParameters() {
        DemoModels.RandomShape s = DemoModels.RandomShape.benchmark();
        assertEquals(List.of(32_000, 768, 12, 12, 2048, 2048), List.of(s.vocabSize(), s.width(), s.layers(),
                s.heads(), s.ffn(), s.contextLength()));
        long params = 2L * s.vocabSize() * s.width()
                + s.layers() * (4L * s.width() * s.width() + 3L * s.width() * s.ffn());
        assertEquals(134, params / 1_000_000);
    }

    @Test
    void impossibleShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DemoModels.RandomShape(1000, 100, 1, 3, 64, 64, 1));
        assertThrows(IllegalArgumentException.class, () -> new DemoModels.RandomShape(1000, 128, 0, 4, 64, 64, 1));
        assertThrows(IllegalArgumentException.class,
                () -> DemoModels.writeRandom(dir.resolve("x.gguf"), new DemoModels.RandomShape(10, 128, 1, 4, 64, 64, 1)));
    }

    @Test
    void designedCompletionsAreListedInAFixedOrder() {
        assertEquals(List.of(DemoModels.HELLO_PROMPT, DemoModels.SKY_PROMPT), List.copyOf(DemoModels.COMPLETIONS.keySet()));
        assertThrows(UnsupportedOperationException.class, () -> DemoModels.COMPLETIONS.put("x", "y"));
    }

    @Test
    void loopAnswerAlternatesAndAndAgain() {
        assertEquals("", DemoModels.loopAnswer(0));
        assertEquals(" and again and", DemoModels.loopAnswer(3));
    }
}
