package dev.helios4j.notebook;

/**
 * Where live outputs go: a notebook kernel reached by reflection, or a test double. One output is
 * shown once with {@link #display} and then rewritten in place with {@link #update}, by display id.
 * Calls come from the cell's thread, in order.
 */
interface Frontend {

    /** @return the kernel's name as users know it: "JJava", "IJava", "rapaio" */
    String name();

    /** Shows a new output that later updates with {@code displayId} rewrite. */
    void display(String displayId, Output output);

    /** Rewrites the output shown with {@code displayId}. */
    void update(String displayId, Output output);
}
