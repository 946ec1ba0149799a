package dev.helios4j.local;

import dev.helios4j.Settings;
import java.nio.file.Path;

/**
 * The llamacpp provider's settings (keys under {@code llamacpp.} in {@link Settings}):
 * {@code context-size} (0: the model's trained length, capped to fit in memory), {@code threads}
 * and {@code threads-batch} (0: chosen from measurements), {@code parallel} (slots serving
 * requests at once), {@code gpu-layers}, {@code chat-template} (overrides the model's), and
 * {@code jinja} (render templates with llama.cpp's Jinja engine; default true).
 */
record LocalOptions(int contextSize, int threads, int threadsBatch, int parallel, int gpuLayers,
                    String chatTemplate, boolean jinja, Path cacheDir) {

    static LocalOptions from(Settings s) {
        s.warnUnknownKeys("llamacpp.", java.util.List.of("llamacpp.context-size", "llamacpp.threads", "llamacpp.threads-batch", "llamacpp.parallel", "llamacpp.gpu-layers", "llamacpp.chat-template", "llamacpp.jinja"));
        Path cache = s.get("cache-dir").map(Path::of).orElseGet(() -> defaultCacheDir(s));
        return new LocalOptions(
                s.getInt("llamacpp.context-size", 0, 0),
                s.getInt("llamacpp.threads", 0, 0),
                s.getInt("llamacpp.threads-batch", 0, 0),
                s.getInt("llamacpp.parallel", 1, 1),
                s.getInt("llamacpp.gpu-layers", 0, 0),
                s.get("llamacpp.chat-template").orElse(null),
                s.getBoolean("llamacpp.jinja", true),
                cache);
    }

    /**
     * Generation on this kind of machine (2 vCPUs) was fastest on one thread for small and 134M
     * models alike, while prompt processing gained 1.7x from two: so half the cores generate and
     * all of them process prompts.
     */
    int generationThreads() {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    int batchThreads() {
        return threadsBatch > 0 ? threadsBatch : Runtime.getRuntime().availableProcessors();
    }

    private static Path defaultCacheDir(Settings s) {
        return s.env("XDG_CACHE_HOME").map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("helios4j");
    }
}
