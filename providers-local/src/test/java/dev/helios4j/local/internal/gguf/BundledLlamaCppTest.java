package dev.helios4j.local.internal.gguf;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.InvalidModelException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header checks for the bundled llama.cpp, on files whose metadata is real-model-shaped, so
 * that what they refuse is only what b4916 crashes on. Header-only files: no native code here.
 */
class BundledLlamaCppTest {
    @TempDir
    Path dir;

    private GgufHeader header(String tokenizer, List<String> tokens, Consumer<GgufWriter> more) throws IOException {
        Path file = dir.resolve("h" + System.nanoTime() + ".gguf");
        GgufWriter w = new GgufWriter().putString("general.architecture", "qwen2")
                .putFloat32("qwen2.attention.layer_norm_rms_epsilon", 1e-6f)
                .putString("tokenizer.ggml.model", tokenizer)
                .putStrings("tokenizer.ggml.tokens", tokens);
        more.accept(w);
        w.write(file);
        return GgufHeader.read(file);
    }

    private static List<String> bpeVocabulary() {
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(new String(Character.toChars(b < 33 ? 256 + b : b == 127 ? 289 : b)));
        }
        // Tokens that look alike but differ in bytes, as real BPE vocabularies hold them.
        tokens.addAll(List.of("Ġhello", " hello", "hello", "Hello", "HELLO", "caf\u00e9", "cafe\u0301", "ï¼Į",
                "<|im_start|>", "<|im_end|>", "<|endoftext|>", "\t", "\t\t", "ĊĊ"));
        return tokens;
    }

    private static InvalidModelException refused(GgufHeader h, String... words) {
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> BundledLlamaCpp.check(h, true));
        assertTrue(e.getMessage().contains(h.file().toString()), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "no '" + w + "' in: " + e.getMessage());
        }
        return e;
    }

    @Test
    void realModelShapedVocabulariesPass() throws IOException {
        List<String> bpe = bpeVocabulary();
        assertDoesNotThrow(() -> BundledLlamaCpp.check(header("gpt2", bpe, w -> w
                .putStrings("tokenizer.ggml.merges", List.of("Ġ h", "h e"))
                .putUInt32("tokenizer.ggml.bos_token_id", bpe.size() - 3)
                .putUInt32("tokenizer.ggml.eos_token_id", bpe.size() - 2)), true));
        // Empty tokens are renamed [EMPTY_<id>] by b4916, so two of them are not duplicates.
        List<String> withEmpty = new ArrayList<>(bpe);
        withEmpty.set(20, "");
        withEmpty.set(21, "");
        assertDoesNotThrow(() -> BundledLlamaCpp.check(header("gpt2", withEmpty, w -> { }), true));
        // An id outside the vocabulary is ignored by b4916, which keeps its default (1 here): it loads.
        assertDoesNotThrow(() -> BundledLlamaCpp.check(header("llama", bpe, w -> w
                .putUInt32("tokenizer.ggml.bos_token_id", 1_000_000)), true));
    }

    @Test
    void theDemoAndBenchmarkVocabulariesPass() throws IOException {
        assertDoesNotThrow(() -> BundledLlamaCpp.check(GgufHeader.read(DemoModels.writeDemo(dir.resolve("d.gguf"))), true));
        // The 134M benchmark model's metadata: its 32,000-token vocabulary and template, on a narrow model.
        DemoModels.RandomShape narrow = new DemoModels.RandomShape(32_000, 64, 1, 1, 64, DemoModels.CONTEXT_LENGTH, 42);
        GgufHeader random = GgufHeader.read(DemoModels.writeRandom(dir.resolve("r.gguf"), narrow));
        assertTrue(random.get("tokenizer.ggml.tokens").map(t -> ((List<?>) t).size()).orElse(0) == 32_000);
        assertDoesNotThrow(() -> BundledLlamaCpp.check(random, true));
    }

    @Test
    void duplicatesAreComparedByteForByteAsB4916Does() throws IOException {
        List<String> tokens = bpeVocabulary();
        tokens.add("Ġhello");
        refused(header("gpt2", tokens, w -> { }), "tokenizer.ggml.tokens", "\"Ġhello\" at ids 256 and " + (tokens.size() - 1),
                "GGML_ASSERT");
        List<String> emptyName = bpeVocabulary();
        emptyName.set(30, "");
        emptyName.add("[EMPTY_30]");
        refused(header("gpt2", emptyName, w -> { }), "[EMPTY_30]");
    }

    @Test
    void aSpecialTokenWhoseDefaultLiesOutsideTheVocabularyIsRefused() throws IOException {
        refused(header("llama", List.of("<unk>", "<s>"), w -> { }), "tokenizer.ggml.eos_token_id", "default",
                " 2, lies outside the 2 tokens");
        refused(header("gpt2", List.of("a", "b", "c"), w -> w.putUInt32("tokenizer.ggml.eos_token_id", 7)),
                "tokenizer.ggml.bos_token_id", "11");
        refused(header("llama", List.of(), w -> { }), "tokenizer.ggml.tokens is empty");
    }

    @Test
    void tokenizersAndArchitecturesB4916DoesNotKnowAreNamed() throws IOException {
        refused(header("none", bpeVocabulary(), w -> { }), "tokenizer.ggml.model is \"none\"");
        refused(header("plamo2", bpeVocabulary(), w -> { }), "\"plamo2\"", "llamacpp.server", "openai:");
        Path file = dir.resolve("qwen3.gguf");
        new GgufWriter().putString("general.architecture", "qwen3").write(file);
        refused(GgufHeader.read(file), "'qwen3' model", "b4916", "de.kherud:llama:4.2.0",
                "llamacpp.server=/path/to/llama-server", "openai:MODEL");
        Path none = dir.resolve("noarch.gguf");
        new GgufWriter().write(none);
        refused(GgufHeader.read(none), "general.architecture is missing");
        assertTrue(BundledLlamaCpp.ARCHITECTURES.containsAll(List.of("llama", "qwen2", "gemma3", "phi3", "deepseek2")));
        for (String later : List.of("qwen3", "qwen3moe", "llama4", "gemma3n", "smollm3", "gpt-oss")) {
            assertTrue(!BundledLlamaCpp.ARCHITECTURES.contains(later), later);
        }
    }

    @Test
    void normEpsilonMustBeFiniteAndNotNegative() throws IOException {
        for (float eps : new float[] {-1e-5f, Float.NaN, Float.POSITIVE_INFINITY}) {
            refused(header("gpt2", bpeVocabulary(), w -> w.remove("qwen2.attention.layer_norm_rms_epsilon")
                    .putFloat32("qwen2.attention.layer_norm_rms_epsilon", eps)),
                    "qwen2.attention.layer_norm_rms_epsilon is " + eps);
        }
        refused(header("gpt2", bpeVocabulary(), w -> w.putFloat32("qwen2.attention.layer_norm_epsilon", -1f)),
                "qwen2.attention.layer_norm_epsilon");
        assertDoesNotThrow(() -> BundledLlamaCpp.check(header("gpt2", bpeVocabulary(), w -> w
                .remove("qwen2.attention.layer_norm_rms_epsilon").putFloat32("qwen2.attention.layer_norm_rms_epsilon", 0f)
                .putFloat32("llama.attention.layer_norm_rms_epsilon", -1f)), true), "0 is allowed; other architectures' keys are not read");
    }

    @Test
    void aCrashingTemplateInTheFileIsRefusedUnlessASettingReplacesIt() throws IOException {
        GgufHeader h = header("gpt2", bpeVocabulary(), w -> w.putString("tokenizer.chat_template",
                "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}"));
        refused(h, "tokenizer.chat_template defines the macro 'm'", "set llamacpp.chat-template");
        assertDoesNotThrow(() -> BundledLlamaCpp.check(h, false));
        refused(header("gpt2", bpeVocabulary(), w -> w.putString("tokenizer.chat_template.tool_use",
                "{{ 'ab' * 300000000 }}")), "tokenizer.chat_template.tool_use repeats");
        // What b4916 survives in a file's template (it falls back to ChatML) is not refused.
        assertDoesNotThrow(() -> BundledLlamaCpp.check(header("gpt2", bpeVocabulary(), w -> w.putString(
                "tokenizer.chat_template", "{{ raise_exception('x') }}{% if unclosed %}")), true));
    }
}
