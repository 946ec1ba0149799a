package dev.helios4j.notebook;

import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import java.util.Optional;

/**
 * What {@link Notebook#stream} returns: the answer already shown in its output, kept for code that
 * wants it ({@code var a = Notebook.stream(llm, request); a.text()}).
 *
 * <p>IJava and JJava show a cell's last expression even when it ends with {@code ;}, so this
 * prints as one short line ({@link #toString()}) rather than the answer a second time.
 */
public final class NotebookAnswer {
    private final ChatResponse response;
    private final Throwable error;

    NotebookAnswer(ChatResponse response, Throwable error) {
        this.response = response;
        this.error = error;
    }

    /**
     * @return the response, with usage and timings; when stopped, the partial text with finish
     *     reason {@link FinishReason#CANCELLED}; null when the call failed ({@link #error()} says why)
     */
    public ChatResponse response() {
        return response;
    }

    /** @return the answer's text (partial when stopped), or "" when the call failed */
    public String text() {
        return response == null ? "" : response.text();
    }

    /** @return whether the stop button ended the answer */
    public boolean stopped() {
        return response != null && response.finishReason() == FinishReason.CANCELLED;
    }

    /** @return why the call failed, or empty when it did not */
    public Optional<Throwable> error() {
        return Optional.ofNullable(error);
    }

    /** @return a one-line summary, such as {@code (answer shown above: 22 characters, stop)} */
    @Override
    public String toString() {
        if (response == null) {
            return "(no answer: the message above says why)";
        }
        String how = stopped() ? "stopped" : response.finishReason().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        return "(answer shown above: " + response.text().length() + " characters, " + how + ")";
    }
}
