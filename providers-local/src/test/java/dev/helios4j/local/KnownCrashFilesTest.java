package dev.helios4j.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.local.internal.ModelSource;
import dev.helios4j.local.internal.LocalOptions;
import dev.helios4j.InvalidModelException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.local.internal.gguf.GgufHeader;
import dev.helios4j.local.internal.gguf.GgufWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model files that killed the whole JVM inside llama.cpp b4916 (each was seen to: a GGML_ASSERT,
 * a segfault or an uncaught C++ exception, or a load that did not finish in 100 s; run once in a
 * child JVM, never here) are refused through {@code Llm.open} with a message, and this same JVM
 * then answers on the demo model. Each file is the demo model with one edit, written by the
 * project's own GGUF writer, so everything else about it is valid.
 */
class KnownCrashFilesTest {
    private static final String TEMPLATE = "tokenizer.chat_template";

    @TempDir
    Path dir;

    private Path edited(String name, Consumer<GgufWriter> edit) throws Exception {
        return DemoModels.writeEditedDemo(dir.resolve(name + ".gguf"), edit);
    }

    private Path withTemplate(String name, String template) throws Exception {
        return edited(name, w -> w.remove(TEMPLATE).putString(TEMPLATE, template));
    }

    @SuppressWarnings("unchecked")
    private static List<String> demoTokens() {
        GgufHeader demo = ModelSource.demo(LocalOptions.from(TestModels.settings()).cacheDir());
        return new ArrayList<>((List<String>) demo.get("tokenizer.ggml.tokens").orElseThrow());
    }

    private static Consumer<GgufWriter> tokens(List<String> tokens) {
        return w -> w.remove("tokenizer.ggml.tokens").putStrings("tokenizer.ggml.tokens", tokens);
    }

    /** Refused with these words, and the JVM lives on: the demo model still answers. */
    private static InvalidModelException refused(Path file, String... words) {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> Llm.open("llamacpp:" + file, TestModels.settings()).close());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "no '" + w + "' in: " + e.getMessage());
        }
        try (LlmClient demo = TestModels.demo()) {
            assertEquals(DemoModels.CHAT_ANSWER, demo.chat("Hello"));
        }
        return e;
    }

    @Test
    void twoTokenIdsWithOneText() throws Exception {
        List<String> tokens = demoTokens();
        int last = tokens.size() - 1;
        tokens.set(last, tokens.get(last - 1));
        refused(edited("duplicate", tokens(tokens)), "tokenizer.ggml.tokens has the same text",
                "at ids " + (last - 1) + " and " + last, "GGML_ASSERT", "download it again");
    }

    @Test
    void aTokenizerOfNone() throws Exception {
        refused(edited("none", w -> w.remove("tokenizer.ggml.model").putString("tokenizer.ggml.model", "none")),
                "tokenizer.ggml.model is \"none\"", "includes its tokenizer");
    }

    @Test
    void anEmptyOrTwoEntryTokenList() throws Exception {
        refused(edited("empty", tokens(List.of())), "tokenizer.ggml.tokens is empty");
        refused(edited("two", tokens(demoTokens().subList(0, 2))), "tokenizer.ggml.eos_token_id is 2, outside the 2 tokens",
                "crashes");
    }

    @Test
    void aNegativeNanOrInfiniteNormEpsilon() throws Exception {
        String key = "llama.attention.layer_norm_rms_epsilon";
        for (float eps : new float[] {-1e-5f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}) {
            refused(edited("eps" + eps, w -> w.remove(key).putFloat32(key, eps)), key + " is " + eps,
                    "finite number of at least 0");
        }
    }

    @Test
    void aTemplateNestedThousandsDeepRecursiveOrSlow() throws Exception {
        refused(withTemplate("deep", "{% if true %}".repeat(3000) + DemoModels.CHAT_TEMPLATE
                + "{% endif %}".repeat(3000)), "tokenizer.chat_template nests blocks more than 100 deep",
                "set llamacpp.chat-template");
        refused(withTemplate("parens", "{{ " + "(".repeat(1000) + "1" + ")".repeat(1000) + " }}"),
                "nests brackets and blocks more than 100 deep");
        refused(withTemplate("recursive", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}" + DemoModels.CHAT_TEMPLATE),
                "tokenizer.chat_template defines the macro 'm', which always calls itself");
        refused(withTemplate("slow", "{{ 'ab' * 300000000 }}" + DemoModels.CHAT_TEMPLATE),
                "repeats something 300000000 times", "hangs the load");
        refused(withTemplate("comment", "{# " + "x".repeat(200_000) + " #}" + DemoModels.CHAT_TEMPLATE),
                "comment of 200006 characters");
    }

    @Test
    void anArchitectureTheBundledLlamaCppDoesNotKnow() throws Exception {
        InvalidModelException e = refused(edited("qwen3", w -> w.remove("general.architecture")
                .putString("general.architecture", "qwen3")), "'qwen3' model", "build b4916", "de.kherud:llama:4.2.0",
                "llamacpp.server=/path/to/llama-server", "openai:MODEL");
        assertTrue(!e.getMessage().contains("could not load model"), e.getMessage());
    }

    /** Edge cases that b4916 loads (seen in a child JVM first) still load and answer. */
    @Test
    void allowedEdgeCasesStillLoadAndAnswer() throws Exception {
        String template = "{% macro count(k) %}{% if k > 0 %}{{ count(k - 1) }}{% endif %}{% endmacro %}{{ count(5) }}"
                + "{{ '-' * 80 }}" + "{% if true %}".repeat(90) + DemoModels.CHAT_TEMPLATE + "{% endif %}".repeat(90);
        String eps = "llama.attention.layer_norm_rms_epsilon";
        Path edges = edited("edges", w -> w.remove(eps).putFloat32(eps, 0f)
                // out of range: b4916 ignores it and keeps the SentencePiece default, 1
                .remove("tokenizer.ggml.bos_token_id").putUInt32("tokenizer.ggml.bos_token_id", 100_000)
                .remove(TEMPLATE).putString(TEMPLATE, template));
        try (LlmClient llm = Llm.open("llamacpp:" + edges, TestModels.settings())) {
            assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hello"));
        }
    }

    /** b4916 never parses the file's template when a setting replaces it, so that rescues the file. */
    @Test
    void aTemplateSettingRescuesAFileWhoseTemplateWouldCrash() throws Exception {
        Path file = withTemplate("rescued", "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}");
        try (LlmClient llm = Llm.open("llamacpp:" + file, TestModels.settings().with("llamacpp.chat-template", "chatml"))) {
            assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hello"));
        }
    }
}
