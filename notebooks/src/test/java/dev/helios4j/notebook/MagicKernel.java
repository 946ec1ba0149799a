package dev.helios4j.notebook;

import java.util.List;

/**
 * A kernel stand-in that runs whole cells, magics included, through a real kernel library's magic
 * parser and registry and a real JShell; see the implementations.
 */
public interface MagicKernel extends AutoCloseable {

    /** One published output, whichever library's classes carried it. */
    record Shown(boolean update, String displayId, String markdown, String plain) {
    }

    String name();

    /** Runs a cell's source as the kernel does: magics first, the rest in JShell. */
    void run(String cell);

    /** @return what the cells published so far, in order */
    List<Shown> outputs();

    /** Makes this the kernel the helpers find (one at a time: each kernel has its own static accessor). */
    void activate();

    /** Unregisters this kernel from the static accessor the helpers find it by. */
    void deactivate();

    /** Forgets the outputs published so far. */
    void clearOutputs();

    @Override
    void close();
}
