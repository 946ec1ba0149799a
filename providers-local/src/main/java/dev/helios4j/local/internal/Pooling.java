package dev.helios4j.local.internal;

import de.kherud.llama.args.PoolingType;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.local.internal.gguf.GgufHeader;
import java.util.Set;

/**
 * How a model's per-token vectors become one vector per text. Embedding models say it in their
 * metadata ({@code ARCH.pooling_type}: 1 mean, 2 CLS, 3 last token), and helios4j passes it on
 * explicitly (java-llama.cpp's "unspecified" is no value llama.cpp's argument parser accepts).
 * Chat models say nothing (or "none", for which llama.cpp hands back one vector per token, of
 * which java-llama.cpp keeps only the first): for them helios4j takes the last token's vector, the
 * one that has seen the whole text in a causal model, as decoder-based embedding models do. A
 * reranking model ({@code rank}) scores pairs of texts and embeds none.
 *
 * <p>Measured with the bundled llama.cpp (b4916, java-llama.cpp 4.2.0): mean pooling on a
 * decoder model ({@code llama} architecture, the demo model and a random two-layer one alike)
 * aborts the process while the model loads ({@code GGML_ASSERT(ggml_can_mul_mat(a, b))}); CLS and
 * last work; a text longer than the physical batch (512 tokens) is refused with an exception.
 * So the bundled llama.cpp is given mean pooling only for encoder architectures.
 *
 * @param type what llama.cpp is told
 * @param name the same for llama-server's {@code --pooling} and messages
 */
public record Pooling(PoolingType type, String name) {
    static final int NONE = 0;
    static final int RANK = 4;
    /** Encoders, whose graphs pool the mean without the decoder's output-row pruning. */
    private static final Set<String> MEAN_SAFE = Set.of("bert", "nomic-bert", "jina-bert-v2", "t5encoder");

    /**
     * @param bundled for the bundled llama.cpp (in this JVM or helios4j's engine process) rather
     *     than a llama-server binary
     * @throws InvalidRequestException for a model that cannot embed (here)
     */
    public static Pooling of(GgufHeader header, boolean bundled) {
        String arch = header.architecture().orElse("llama");
        String model = header.name().orElse(header.file().getFileName().toString());
        long declared = header.getLong(arch + ".pooling_type").orElse(-1);
        if (declared == RANK) {
            throw new InvalidRequestException("The model " + model + " is a reranking model (" + arch
                    + ".pooling_type = rank): it scores pairs of texts and cannot embed one. Open an embedding model "
                    + "(or a chat model) for embeddings.");
        }
        if (declared <= NONE || declared > RANK) {
            return new Pooling(PoolingType.LAST, PoolingType.LAST.getArgValue());
        }
        PoolingType type = new PoolingType[] {null, PoolingType.MEAN, PoolingType.CLS, PoolingType.LAST}[(int) declared];
        if (bundled && type == PoolingType.MEAN && !MEAN_SAFE.contains(arch)) {
            throw new InvalidRequestException("The model " + model + " asks for mean pooling, on which the llama.cpp "
                    + "bundled with helios4j aborts for '" + arch + "' models. Embed with a llama-server binary "
                    + "(the setting llamacpp.server=PATH), or with another model.");
        }
        return new Pooling(type, type.getArgValue());
    }
}
