package dev.helios4j.local.internal;

import de.kherud.llama.LlamaModel;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * One model loaded into llama.cpp, shared by every client of the same file and settings in this
 * JVM. Its slots are guarded by a Java semaphore so that a request waiting its turn can be
 * cancelled by an interrupt (a request queued inside llama.cpp could not).
 */
public final class LoadedModel {
    public final LlamaModel llama;
    final Path file;
    final String name;
    /** Tokens each slot holds: the context size divided among the parallel slots. */
    final int slotContext;
    final boolean addsBos;
    final Semaphore slots;

    LoadedModel(LlamaModel llama, Path file, String name, int slotContext, int parallel, boolean addsBos) {
        this.llama = llama;
        this.file = file;
        this.name = name;
        this.slotContext = slotContext;
        this.addsBos = addsBos;
        this.slots = new Semaphore(parallel, true);
    }

    /** Counts the tokens llama.cpp will process for a prompt, including the BOS it adds. */
    public int promptTokens(String prompt) {
        return promptTokens(llama.encode(prompt).length);
    }

    /** The same count, for a prompt already encoded to {@code encodedLength} tokens. */
    int promptTokens(int encodedLength) {
        return encodedLength + (addsBos ? 1 : 0);
    }
}
