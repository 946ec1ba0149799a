package dev.helios4j.local.internal.gguf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts of the demo model that tests compare with, read from a freshly written file rather than copied. */
public final class DemoFiles {
    private DemoFiles() {
    }

    /** @return the demo model's width, which is also the length of its (one-hot) embedding vectors */
    public static int width() {
        try {
            Path file = Files.createTempFile("helios4j-demo-width", ".gguf");
            try {
                return (int) GgufHeader.read(DemoModels.writeDemo(file)).getLong("llama.embedding_length").orElseThrow();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
