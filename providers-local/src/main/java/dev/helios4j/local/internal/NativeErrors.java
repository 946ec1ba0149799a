package dev.helios4j.local.internal;

import dev.helios4j.LlmException;

/**
 * What java-llama.cpp throws, as errors that say what to do: a native library that cannot load
 * (the platforms it needs, the setting that points at another build), or llama.cpp's own failure
 * with the action that met it. The text generated before the failure is kept in the exception.
 */
final class NativeErrors {
    private NativeErrors() {
    }

    /**
     * @param action what was being done, for the message ("generating", "loading FILE")
     * @param e what the binding threw
     * @param partialText the text produced before it; empty for none
     * @return the error to throw; an {@link LlmException} unchanged
     */
    static LlmException translate(String action, Throwable e, String partialText) {
        if (e instanceof LlmException l) {
            return l;
        }
        if (e instanceof UnsatisfiedLinkError || e instanceof NoClassDefFoundError) {
            return new LlmException("llama.cpp's native library could not be loaded (" + e.getMessage() + ") while "
                    + action + ". helios4j's local provider needs Linux with glibc and libgomp.so.1 (on Debian: "
                    + "apt-get install libgomp1), macOS or Windows on x86_64 or aarch64; or set -D" + NativeLibrary.LIB_PATH
                    + "=DIR to a directory holding a libjllama built for this machine.", e, partialText);
        }
        // The binding's own exception class is package-private, so it is recognised by name.
        String kind = e.getClass().getName().equals("de.kherud.llama.LlamaException") ? "llama.cpp" : e.getClass().getSimpleName();
        return new LlmException("llama.cpp failed while " + action + ": " + kind + ": " + e.getMessage(), e, partialText);
    }
}
