package dev.helios4j.local.internal.gguf;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.IntFunction;

/**
 * The vocabulary as llama.cpp b4916's {@code llama_vocab::impl::load} reads it (src/llama-vocab.cpp
 * at that build), looking for what makes that loader abort or index outside its token table
 * instead of failing with an error.
 */
final class VocabCheck {
    static final String MODEL = "tokenizer.ggml.model";
    static final String TOKENS = "tokenizer.ggml.tokens";

    /** The tokenizers b4916 knows; any other name is a clean load error there, named here instead. */
    static final List<String> TOKENIZERS = List.of("llama", "bert", "gpt2", "t5", "rwkv");

    private VocabCheck() {
    }

    /** A refusal: the key, what is wrong, what to do. */
    record Problem(String key, String problem, String fix) {
    }

    static Problem check(GgufHeader h) {
        Object model = h.get(MODEL).orElse(null);
        if (!(model instanceof String name)) {
            return new Problem(MODEL, model == null ? "is missing" : "is not a string",
                    "the file is incomplete; convert the model again with llama.cpp's convert_hf_to_gguf.py");
        }
        if (name.equals("none") || name.equals("no_vocab")) {
            // b4916 then builds a vocabulary of empty tokens and crashes on the first token it reads.
            return new Problem(MODEL, "is \"" + name + "\": the file has no tokenizer, and llama.cpp b4916 crashes "
                    + "on such a model instead of refusing it", "use a model file that includes its tokenizer "
                    + "(every chat model's GGUF does)");
        }
        if (!TOKENIZERS.contains(name)) {
            return new Problem(MODEL, "is \"" + name + "\", a tokenizer that the bundled llama.cpp " + BundledLlamaCpp.BUILD
                    + " does not know (it knows " + String.join(", ", TOKENIZERS) + ")", BundledLlamaCpp.WAYS_FORWARD);
        }
        Object value = h.get(TOKENS).orElse(null);
        if (!(value instanceof List<?> list)
                || !(list instanceof CompactLists.Strings || list.stream().allMatch(String.class::isInstance))) {
            return new Problem(TOKENS, value == null ? "is missing" : "is not a list of strings",
                    "the file is incomplete; convert the model again with llama.cpp's convert_hf_to_gguf.py");
        }
        @SuppressWarnings("unchecked")
        List<String> tokens = (List<String>) list;
        if (tokens.isEmpty()) {
            return new Problem(TOKENS, "is empty: the model has no tokens, and llama.cpp b4916 aborts on it",
                    "the file is damaged; download or convert it again");
        }
        Problem duplicate = duplicate(tokens);
        if (duplicate != null) {
            return duplicate;
        }
        return specialTokens(h, name, tokens.size());
    }

    /**
     * b4916 maps each token's text to its id and then asserts that the map has as many entries as
     * the list ({@code GGML_ASSERT(id_to_token.size() == token_to_id.size())}): two ids with the
     * same bytes abort the process. Texts are compared byte for byte, as there, and an empty text
     * counts as {@code [EMPTY_<id>]}, the name b4916 gives it.
     */
    private static Problem duplicate(List<String> tokens) {
        IntFunction<String> emptyName = i -> "[EMPTY_" + i + "]";
        int[] pair = tokens instanceof CompactLists.Strings stored ? stored.firstDuplicate(emptyName)
                : new CompactLists.Strings(utf8(tokens), ends(tokens)).firstDuplicate(emptyName);
        if (pair == null) {
            return null;
        }
        String text = tokens.get(pair[1]).isEmpty() ? emptyName.apply(pair[1]) : tokens.get(pair[1]);
        return new Problem(TOKENS, "has the same text " + quote(text) + " at ids " + pair[0] + " and " + pair[1]
                + "; llama.cpp b4916 aborts the whole process (GGML_ASSERT) on such a vocabulary",
                "the file is damaged or was converted wrongly; download it again or convert it again with a "
                        + "current llama.cpp");
    }

    private static byte[] utf8(List<String> tokens) {
        return String.join("", tokens).getBytes(StandardCharsets.UTF_8);
    }

    private static int[] ends(List<String> tokens) {
        int[] ends = new int[tokens.size()];
        int end = 0;
        for (int i = 0; i < ends.length; i++) {
            end += tokens.get(i).getBytes(StandardCharsets.UTF_8).length;
            ends[i] = end;
        }
        return ends;
    }

    /**
     * The special tokens b4916 uses: each key's id when it lies in the vocabulary, else the
     * tokenizer's default (b4916 ignores an out-of-range id and keeps the default, unlike later
     * builds, which disable it). A default outside the vocabulary is read past the end of the
     * token table when the chat template is set up: a crash.
     */
    private static Problem specialTokens(GgufHeader h, String tokenizer, int size) {
        // The defaults set per tokenizer in b4916's llama_vocab::impl::load; -1 is "none".
        long[][] defaults = switch (tokenizer) {
            case "llama" -> new long[][] {{1, 2, 0, -1, -1, -1}};
            case "bert" -> new long[][] {{101, -1, 100, 102, 0, 103}};
            case "gpt2" -> new long[][] {{11, 11, -1, -1, -1, -1}};
            case "t5" -> new long[][] {{-1, 1, 2, -1, 0, -1}};
            default -> new long[][] {{-1, -1, -1, -1, -1, -1}};
        };
        String[] keys = {"tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
            "tokenizer.ggml.unknown_token_id", "tokenizer.ggml.seperator_token_id",
            "tokenizer.ggml.padding_token_id", "tokenizer.ggml.mask_token_id"};
        for (int i = 0; i < keys.length; i++) {
            OptionalLong set = h.getLong(keys[i]);
            if (set.isPresent() && set.getAsLong() >= 0 && set.getAsLong() < size) {
                continue;
            }
            long id = defaults[0][i];
            if (id >= size) {
                return new Problem(keys[i], (set.isPresent() ? "is " + set.getAsLong() + ", outside" : "is not set, and its "
                        + "default for a " + tokenizer + " tokenizer, " + id + ", lies outside") + " the " + size
                        + " tokens of " + TOKENS + "; llama.cpp b4916 then reads past its token table and crashes",
                        "the file is damaged; download or convert it again");
            }
        }
        return null;
    }

    private static String quote(String text) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        StringBuilder sb = new StringBuilder("\"");
        shown.codePoints().forEach(c -> {
            if (c < 0x20) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.append('"').toString();
    }
}
