package dev.helios4j;

import java.util.Objects;

/**
 * The outcome of one row of a {@link Batch}: its answer, or the error that remained after the
 * retries. Immutable.
 *
 * @param index the row's position in the input, from 0
 * @param key the row's key in the journal; never null
 * @param answer the answer's text, or null when the row failed
 * @param usage the answer's token counts; {@link Usage#UNKNOWN} when failed or not reported
 * @param error what failed and what to do, or null when answered
 * @param attempts how many calls this row took in the run that settled it (0 when read from the journal)
 * @param fromJournal whether the outcome was read from the journal of an earlier run, not asked now
 */
public record BatchResult(long index, String key, String answer, Usage usage, String error, int attempts,
                          boolean fromJournal) {

    /** Checks the components: exactly one of answer and error. */
    public BatchResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(usage, "usage");
        if ((answer == null) == (error == null)) {
            throw new IllegalArgumentException("a batch result has either an answer or an error");
        }
    }

    /** @return whether the row has an answer */
    public boolean ok() {
        return answer != null;
    }

    @Override
    public String toString() {
        return index + " [" + key + "] " + (ok() ? answer : "FAILED: " + error);
    }
}
