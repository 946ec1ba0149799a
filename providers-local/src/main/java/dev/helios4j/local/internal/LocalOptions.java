package dev.helios4j.local.internal;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Settings;
import dev.helios4j.local.internal.gguf.GgufHeader;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The llamacpp provider's settings (keys under {@code llamacpp.} in {@link Settings}):
 * {@code context-size} (0: the model's trained length, capped to fit in memory), {@code threads}
 * and {@code threads-batch} (0: chosen from measurements), {@code parallel} (slots serving
 * requests at once), {@code gpu-layers}, {@code chat-template} (overrides the model's: a Jinja
 * template, or a name of one of llama.cpp's built-in templates such as {@code llama3}), and
 * {@code jinja} (render templates with llama.cpp's Jinja engine; default true, and false when
 * {@code chat-template} is a name, since llama.cpp renders its built-in templates only without it).
 *
 * <p>Every number is checked against a range here, before it reaches native code: llama.cpp
 * takes any value, and some end the process (tens of thousands of threads make libgomp exit).
 */
public record LocalOptions(int contextSize, int threads, int threadsBatch, int parallel, int gpuLayers,
                    String chatTemplate, boolean jinja, Path cacheDir) {

    /** ggml's own limit on threads (GGML_MAX_N_THREADS). */
    static final int MAX_THREADS = 512;
    /** A hard cap on the context, whatever the model: a million tokens. */
    static final int MAX_CONTEXT = 1 << 20;
    /** How far past its trained length a model's context may be set. */
    static final int CONTEXT_OVER_TRAINED = 4;
    /** Slots share the context; more than this many leaves each too little to be useful. */
    static final int MAX_PARALLEL = 64;

    private static final Pattern TEMPLATE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    public static LocalOptions from(Settings s) {
        s.warnUnknownKeys("llamacpp.", java.util.List.of("llamacpp.context-size", "llamacpp.threads", "llamacpp.threads-batch", "llamacpp.parallel", "llamacpp.gpu-layers", "llamacpp.chat-template", "llamacpp.jinja",
                "llamacpp.isolation", "llamacpp.server", "llamacpp.server-args", "llamacpp.keep-alive", "llamacpp.start-timeout"));
        Path cache = s.get("cache-dir").map(Path::of).orElseGet(() -> defaultCacheDir(s));
        int cpus = Runtime.getRuntime().availableProcessors();
        int maxThreads = Math.min(MAX_THREADS, 4 * cpus);
        String threadsWhy = "0 lets helios4j choose; more than 4 threads per processor (" + cpus
                + " here) only slows llama.cpp down, and tens of thousands end the process inside libgomp";
        String template = s.get("llamacpp.chat-template").orElse(null);
        boolean jinja = s.get("llamacpp.jinja").isPresent() ? s.getBoolean("llamacpp.jinja", true)
                : template == null || !TEMPLATE_NAME.matcher(template).matches();
        return new LocalOptions(
                intIn(s, "llamacpp.context-size", 0, 0, MAX_CONTEXT,
                        "0 uses the model's trained length, capped to fit in memory"),
                intIn(s, "llamacpp.threads", 0, 0, maxThreads, threadsWhy),
                intIn(s, "llamacpp.threads-batch", 0, 0, maxThreads, threadsWhy),
                intIn(s, "llamacpp.parallel", 1, 1, MAX_PARALLEL,
                        "the slots that serve requests at once; they split the context between them"),
                intIn(s, "llamacpp.gpu-layers", 0, 0, Integer.MAX_VALUE, "0 keeps every layer on the CPU"),
                template,
                jinja,
                cache);
    }

    /**
     * Refuses a configured context far beyond what the model was trained on: past its trained
     * length a model loses track of the text (llama.cpp only warns), and the KV cache, allocated
     * in full at load, grows with every token of it.
     */
    void checkContextSize(GgufHeader header) {
        OptionalLong trained = header.contextLength();
        if (contextSize == 0 || trained.isEmpty() || trained.getAsLong() <= 0) {
            return;
        }
        long max = Math.min(MAX_CONTEXT, CONTEXT_OVER_TRAINED * trained.getAsLong());
        if (contextSize > max) {
            throw new InvalidRequestException("The setting llamacpp.context-size is " + contextSize + ", but "
                    + header.name().orElse(header.file().getFileName().toString()) + " was trained on "
                    + trained.getAsLong() + " tokens. Accepted: 0 (the trained length, capped to fit in memory) or 1 to "
                    + max + " (" + CONTEXT_OVER_TRAINED + " times the trained length at most; beyond it a model loses "
                    + "track of the text and its KV cache keeps growing).");
        }
    }

    /**
     * Generation on this kind of machine (2 vCPUs) was fastest on one thread for small and 134M
     * models alike, while prompt processing gained 1.7x from two: so half the cores generate and
     * all of them process prompts.
     */
    public int generationThreads() {
        return threads > 0 ? threads : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    public int batchThreads() {
        return threadsBatch > 0 ? threadsBatch : Runtime.getRuntime().availableProcessors();
    }

    private static int intIn(Settings s, String key, int fallback, int min, int max, String meaning) {
        String text = s.get(key).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        String range = max == Integer.MAX_VALUE ? "of at least " + min : "from " + min + " to " + max;
        throw new InvalidRequestException("The setting " + key + " must be a whole number " + range + ", got '" + text
                + "' (" + meaning + ").");
    }

    private static Path defaultCacheDir(Settings s) {
        return s.env("XDG_CACHE_HOME").map(Path::of).orElse(Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("helios4j");
    }
}
