package dev.helios4j.notebook;

import dev.helios4j.ChatResponse;

/**
 * Shows one answer while it is produced: in a notebook output that updates in place, or on the
 * terminal. Every call comes from the thread that called the model, in this order: {@link #start},
 * {@link #onToken} any number of times, then exactly one of the three endings.
 */
interface AnswerView {

    void start();

    void onToken(String piece);

    /** The answer is complete; its text is the exact one to show last. */
    void complete(ChatResponse response);

    /** The user stopped the cell; {@code partial} is what the model had produced. */
    void stopped(String partial);

    /** The call failed; {@code partial} is what the model had produced before. */
    void failed(String partial, Throwable failure);
}
