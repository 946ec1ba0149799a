package dev.helios4j;

/**
 * A call ran past one of its time limits (connect, first byte, idle between chunks, total), or a
 * server answered HTTP 408. Keeps the text produced before the limit was hit.
 */
public class LlmTimeoutException extends LlmException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which limit was hit, its value, and which setting changes it; must not be null
     * @param cause the underlying failure, or null
     * @param partialText the answer produced before the timeout, or null
     */
    public LlmTimeoutException(String message, Throwable cause, String partialText) {
        super(message, cause, partialText);
    }
}
