package dev.helios4j.notebook;

/**
 * A cell that misuses {@code %%llm} or {@code %llm}: an unknown option, a missing value, an
 * undefined variable. Its message is one line that says what to write instead; the magic shows it
 * as the notebooks' short error block, never as a trace.
 */
final class MagicUsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MagicUsageException(String message) {
        super(message, null, false, false);
    }
}
