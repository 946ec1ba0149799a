package dev.helios4j.local.internal.gguf;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;

import java.nio.file.Path;

/** Loads generated models through the real binding, with the binding's pitfalls avoided. */
final class NativeModels {
    private NativeModels() {
    }

    /**
     * Loads {@code model} with one thread (the fastest for generation on a tiny model). Load once
     * per test class: {@code close()} frees nothing in this binding.
     */
    static LlamaModel load(Path model, int contextSize) {
        dev.helios4j.local.internal.NativeLibrary.prepare(); // the binding's loader must not touch java.io.tmpdir
        return new LlamaModel(new ModelParameters()
                .setModel(model.toString())
                .setCtxSize(contextSize)
                .setThreads(1)
                .disableLog());
    }
}
