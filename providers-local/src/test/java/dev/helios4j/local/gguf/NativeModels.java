package dev.helios4j.local.gguf;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads generated models through the real binding, with the binding's pitfalls avoided. */
final class NativeModels {
    private static final String TMPDIR = "de.kherud.llama.tmpdir";

    private NativeModels() {
    }

    /**
     * Loads {@code model} with one thread (the fastest for generation on a tiny model). Load once
     * per test class: {@code close()} frees nothing in this binding.
     */
    static LlamaModel load(Path model, int contextSize) {
        usePrivateNativeDirectory();
        return new LlamaModel(new ModelParameters()
                .setModel(model.toString())
                .setCtxSize(contextSize)
                .setThreads(1)
                .disableLog());
    }

    /**
     * The binding deletes every llama* and jllama* entry in its extraction directory on first use,
     * java.io.tmpdir unless told otherwise. The POM names a private one; it must exist.
     */
    private static synchronized void usePrivateNativeDirectory() {
        String dir = System.getProperty(TMPDIR);
        if (dir == null) {
            dir = Path.of("target", "native-tmp").toAbsolutePath().toString();
            System.setProperty(TMPDIR, dir);
        }
        try {
            Files.createDirectories(Path.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
