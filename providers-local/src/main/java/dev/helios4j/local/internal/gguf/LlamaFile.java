package dev.helios4j.local.internal.gguf;

import java.util.Arrays;

/**
 * The layout llama.cpp expects of a {@code llama} architecture model (keys and tensor names as
 * in its llama loader), filled with weights a caller chooses. Matrices are F16, norms F32.
 */
final class LlamaFile {
    private LlamaFile() {
    }

    /** The hyperparameters. {@code kvHeads} below {@code heads} is grouped-query attention. */
    record Shape(int vocab, int width, int layers, int heads, int kvHeads, int ffn, int context) {
        Shape {
            if (width % heads != 0 || heads % kvHeads != 0 || (width / heads) % 2 != 0) {
                throw new IllegalArgumentException("width " + width + " must split into " + heads
                        + " heads of even size, and heads into " + kvHeads + " key/value heads");
            }
            if (vocab < 1 || layers < 1 || ffn < 1 || context < 1) {
                throw new IllegalArgumentException("sizes must be positive: " + this);
            }
        }

        int headSize() {
            return width / heads;
        }
    }

    /** Chooses each matrix's values; {@code cols} is the first (fastest) dimension. */
    @FunctionalInterface
    interface Weights {
        GgufWriter.TensorData matrix(String tensor, long cols, long rows);
    }

    static GgufWriter writer(String name, Shape s, DemoVocab vocab, String chatTemplate, Weights weights) {
        if (vocab.size() != s.vocab()) {
            throw new IllegalArgumentException("vocab has " + vocab.size() + " pieces, shape says " + s.vocab());
        }
        GgufWriter w = new GgufWriter()
                .putString("general.architecture", "llama")
                .putString("general.name", name)
                .putUInt32("general.file_type", 1) // mostly F16
                .putUInt32("llama.context_length", s.context())
                .putUInt32("llama.embedding_length", s.width())
                .putUInt32("llama.block_count", s.layers())
                .putUInt32("llama.feed_forward_length", s.ffn())
                .putUInt32("llama.attention.head_count", s.heads())
                .putUInt32("llama.attention.head_count_kv", s.kvHeads())
                .putUInt32("llama.rope.dimension_count", s.headSize())
                .putFloat32("llama.rope.freq_base", 10000f)
                .putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f)
                .putUInt32("llama.vocab_size", s.vocab())
                .putString("tokenizer.ggml.model", "llama")
                .putStrings("tokenizer.ggml.tokens", vocab.pieces())
                .putFloat32s("tokenizer.ggml.scores", vocab.scores())
                .putInt32s("tokenizer.ggml.token_type", vocab.types())
                .putUInt32("tokenizer.ggml.unknown_token_id", DemoVocab.UNK)
                .putUInt32("tokenizer.ggml.bos_token_id", DemoVocab.BOS)
                .putUInt32("tokenizer.ggml.eos_token_id", DemoVocab.EOS)
                // llama.cpp stops generation on any end-of-generation token: the EOS id, the EOT id,
                // and control tokens it recognises by text (<|im_end|> among them). Naming EOT
                // explicitly keeps the chat stop independent of that text heuristic.
                .putUInt32("tokenizer.ggml.eot_token_id", DemoVocab.IM_END)
                .putBool("tokenizer.ggml.add_bos_token", true)
                .putBool("tokenizer.ggml.add_eos_token", false)
                .putBool("tokenizer.ggml.add_space_prefix", true);
        if (chatTemplate != null) {
            w.putString("tokenizer.chat_template", chatTemplate);
        }

        long kvWidth = (long) s.kvHeads() * s.headSize();
        w.addTensor("token_embd.weight", GgufWriter.TensorType.F16,
                weights.matrix("token_embd.weight", s.width(), s.vocab()), s.width(), s.vocab());
        for (int layer = 0; layer < s.layers(); layer++) {
            String p = "blk." + layer + ".";
            ones(w, p + "attn_norm.weight", s.width());
            matrix(w, weights, p + "attn_q.weight", s.width(), s.width());
            matrix(w, weights, p + "attn_k.weight", s.width(), kvWidth);
            matrix(w, weights, p + "attn_v.weight", s.width(), kvWidth);
            matrix(w, weights, p + "attn_output.weight", s.width(), s.width());
            ones(w, p + "ffn_norm.weight", s.width());
            matrix(w, weights, p + "ffn_gate.weight", s.width(), s.ffn());
            matrix(w, weights, p + "ffn_down.weight", s.ffn(), s.width());
            matrix(w, weights, p + "ffn_up.weight", s.width(), s.ffn());
        }
        ones(w, "output_norm.weight", s.width());
        matrix(w, weights, "output.weight", s.width(), s.vocab());
        return w;
    }

    private static void matrix(GgufWriter w, Weights weights, String name, long cols, long rows) {
        w.addTensor(name, GgufWriter.TensorType.F16, weights.matrix(name, cols, rows), cols, rows);
    }

    private static void ones(GgufWriter w, String name, long size) {
        w.addTensor(name, GgufWriter.TensorType.F32, out -> out.fill(1f, size), size);
    }

    /** A matrix of zeros. */
    static GgufWriter.TensorData zeros(long cols, long rows) {
        return out -> out.fill(0f, cols * rows);
    }

    /** Writes row by row: {@code row.values(r, buffer)} fills one row of {@code cols} values. */
    interface Rows {
        void values(int row, float[] buffer);
    }

    static GgufWriter.TensorData byRow(long cols, long rows, Rows rowValues) {
        return out -> {
            float[] buffer = new float[Math.toIntExact(cols)];
            for (int r = 0; r < rows; r++) {
                Arrays.fill(buffer, 0f);
                rowValues.values(r, buffer);
                out.put(buffer);
            }
        };
    }
}
