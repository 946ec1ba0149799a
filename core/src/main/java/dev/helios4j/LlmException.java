package dev.helios4j;

import java.util.Objects;

/**
 * The root of every failure helios4j reports: bad input, a missing provider or model, a server
 * error, a timeout, a cancellation. Catch this one type to handle them all.
 *
 * <p>When a failure interrupts an answer that had already begun, the text produced so far is kept
 * in {@link #partialText()}: nothing the model already produced is lost.
 *
 * <p>Messages say what went wrong and what to do about it. They never contain an API key.
 * Instances are immutable and safe to share between threads.
 */
public class LlmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String partialText;

    /**
     * Creates an exception with a message and no partial text.
     *
     * @param message what went wrong and what to do; must not be null
     */
    public LlmException(String message) {
        this(message, null, "");
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong and what to do; must not be null
     * @param cause the underlying failure, or null
     */
    public LlmException(String message, Throwable cause) {
        this(message, cause, "");
    }

    /**
     * Creates an exception that keeps the text produced before the failure.
     *
     * @param message what went wrong and what to do; must not be null
     * @param cause the underlying failure, or null
     * @param partialText the answer produced so far; null is treated as empty
     */
    public LlmException(String message, Throwable cause, String partialText) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.partialText = partialText == null ? "" : partialText;
    }

    /**
     * The part of the answer that was produced before this failure, exactly as it was streamed.
     *
     * @return the partial answer; empty, never null, when nothing had been produced
     */
    public String partialText() {
        return partialText;
    }
}
