package dev.helios4j.local.internal;

import dev.helios4j.local.internal.gguf.GgufHeader;
import java.lang.management.ManagementFactory;

/**
 * How many tokens of context a model is loaded with, by llama.cpp in this JVM or by an engine
 * process: read from the model's header, before anything is loaded.
 */
public final class ContextSize {
    private static final long KV_BUDGET_CAP = 4L << 30;
    private static final int DEFAULT_TRAINED_CONTEXT = 4096;

    private ContextSize() {
    }

    /**
     * The configured size, or the model's trained length capped so that its KV cache (f16 keys and
     * values for every layer) takes at most a quarter of the machine's memory, and never more than
     * 4 GiB: a model trained on 128k tokens would otherwise ask for more memory than most machines
     * have before it answers anything.
     */
    public static int of(GgufHeader header, LocalOptions options) {
        if (options.contextSize() > 0) {
            return options.contextSize();
        }
        int trained = (int) Math.min(Integer.MAX_VALUE, header.contextLength().orElse(DEFAULT_TRAINED_CONTEXT));
        String arch = header.architecture().orElse("llama");
        long layers = header.getLong(arch + ".block_count").orElse(32);
        long width = header.getLong(arch + ".embedding_length").orElse(4096);
        long heads = Math.max(1, header.getLong(arch + ".attention.head_count").orElse(1));
        long kvHeads = header.getLong(arch + ".attention.head_count_kv").orElse(heads);
        long bytesPerToken = Math.max(1, 2L * layers * (width * kvHeads / heads) * 2L);
        long budget = Math.min(KV_BUDGET_CAP, physicalMemory() / 4);
        long fits = budget / bytesPerToken;
        int capped = (int) Math.min(trained, Math.max(512, fits / 256 * 256));
        return Math.max(capped, 256);
    }

    private static long physicalMemory() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize();
        }
        return 8L << 30;
    }
}
