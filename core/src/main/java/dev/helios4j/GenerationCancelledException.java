package dev.helios4j;

/**
 * The calling thread was interrupted while an answer was being produced (a notebook's stop
 * button, {@code Future.cancel(true)}, Ctrl-C in JShell). Generation stopped at once; the text
 * produced so far is in {@link #partialText()}. The thread's interrupt flag is set again when
 * this is thrown, so code further up still sees the interruption.
 */
public class GenerationCancelledException extends LlmException {
    private static final long serialVersionUID = 1L;

    /**
     * @param partialText the answer produced before the interruption, or null
     */
    public GenerationCancelledException(String partialText) {
        super("Generation was cancelled because the calling thread was interrupted; "
                + "the text produced so far is in partialText().", null, partialText);
    }
}
