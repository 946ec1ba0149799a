package dev.helios4j;

/**
 * A model file that cannot be used: empty, truncated, not a GGUF, or with impossible counts. It is
 * detected before the file reaches native code, so the JVM stays up. The message names the file
 * and the problem.
 */
public class InvalidModelException extends LlmException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the file and what is wrong with it; must not be null
     */
    public InvalidModelException(String message) {
        super(message);
    }

    /**
     * @param message the file and what is wrong with it; must not be null
     * @param cause the underlying failure, or null
     */
    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
