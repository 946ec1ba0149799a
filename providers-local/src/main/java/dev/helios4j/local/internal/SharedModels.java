package dev.helios4j.local.internal;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import dev.helios4j.local.internal.gguf.GgufHeader;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The one documented piece of static state: models loaded into llama.cpp, one per file and
 * settings per JVM. java-llama.cpp's {@code close()} frees nothing (each load and close adds the
 * whole context and a new mapping of the file) and a closed model hangs on its next call, so a
 * model, once loaded, stays loaded for the life of the JVM and every client of it shares it:
 * re-running a notebook cell that opens the same model costs nothing. Thread-safe.
 */
public final class SharedModels {
    private static final System.Logger LOG = System.getLogger(SharedModels.class.getName());
    /** The level at which llama.cpp's own log lines are passed on; below it they are silenced. */
    private static final System.Logger NATIVE_LOG = System.getLogger("dev.helios4j.local.llama.cpp");

    private record Key(Path file, long size, long modified, LocalOptions options, boolean embedding) {
    }

    private static final Map<Key, LoadedModel> LOADED = new HashMap<>();

    private SharedModels() {
    }

    /** Returns the loaded model for this file and these options, loading it on first use. */
    public static synchronized LoadedModel acquire(Path file, String name, GgufHeader header, LocalOptions options) {
        return acquire(file, name, header, options, false);
    }

    /**
     * The same model loaded a second time for embeddings: llama.cpp computes either logits or
     * embeddings for a context, and a context set up for embeddings cannot generate. Loaded on
     * the first embedding call only, so chat-only users pay nothing.
     */
    public static synchronized LoadedModel acquireForEmbeddings(Path file, String name, GgufHeader header, LocalOptions options) {
        return acquire(file, name, header, options, true);
    }

    private static LoadedModel acquire(Path file, String name, GgufHeader header, LocalOptions options, boolean embedding) {
        Key key;
        try {
            key = new Key(file.toRealPath(), Files.size(file), Files.getLastModifiedTime(file).toMillis(), options,
                    embedding);
        } catch (IOException e) {
            throw new dev.helios4j.ModelNotFoundException("Cannot read the model file " + file + ": " + e.getMessage());
        }
        LoadedModel model = LOADED.get(key);
        if (model == null) {
            model = load(key.file(), name, header, options, embedding);
            LOADED.put(key, model);
        }
        return model;
    }

    private static LoadedModel load(Path file, String name, GgufHeader header, LocalOptions options, boolean embedding) {
        NativeLibrary.prepare();
        int context = ContextSize.of(header, options);
        int parallel = embedding ? 1 : options.parallel();
        ModelParameters p = new ModelParameters()
                .setModel(file.toString())
                .setCtxSize(context)
                .setThreads(options.generationThreads())
                .setThreadsBatch(options.batchThreads())
                .setParallel(parallel);
        if (embedding) {
            p.enableEmbedding().setPoolingType(Pooling.of(header, true).type());
        }
        if (options.gpuLayers() > 0) {
            p.setGpuLayers(options.gpuLayers()); // on a CPU-only build this only prints warnings
        }
        if (options.jinja()) {
            p.enableJinja();
        }
        // llama.cpp renders with the file's template, and with ChatML when the file has none
        // (LlamaCppProviderTest pins that); a configured template overrides both.
        if (options.chatTemplate() != null) {
            p.setChatTemplate(options.chatTemplate());
        }
        long started = System.nanoTime();
        LlamaModel llama;
        try {
            if (NATIVE_LOG.isLoggable(Level.DEBUG)) {
                LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> NATIVE_LOG.log(Level.DEBUG, message.strip()));
            } else {
                p.disableLog();
            }
            llama = new LlamaModel(p);
        } catch (RuntimeException | LinkageError e) {
            throw NativeErrors.translate("loading " + file, e, "");
        }
        LOG.log(Level.DEBUG, () -> "Loaded " + file + " with a context of " + context + " tokens in "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
        boolean addsBos = header.get("tokenizer.ggml.add_bos_token").map(Boolean.TRUE::equals)
                .orElse(header.bosTokenId().isPresent());
        return new LoadedModel(llama, file, name, context / parallel, parallel, addsBos);
    }
}
