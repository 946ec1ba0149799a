package dev.helios4j.local.internal.gguf;

/**
 * A problem found in a file's header, described without the file name; {@link GgufHeader#read}
 * adds the name and turns it into the public {@code InvalidModelException}.
 */
final class GgufFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** True when the file is not GGUF at all (rather than a damaged GGUF). */
    final boolean notGguf;

    GgufFormatException(String problem, boolean notGguf) {
        super(problem, null, false, false);
        this.notGguf = notGguf;
    }

    static GgufFormatException damaged(String problem) {
        return new GgufFormatException(problem, false);
    }
}
