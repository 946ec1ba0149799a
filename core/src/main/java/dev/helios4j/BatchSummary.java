package dev.helios4j;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The totals of one {@link Batch} run. Immutable.
 *
 * @param rows rows read from the input
 * @param answered rows with an answer, those read from the journal included
 * @param failed rows whose last error stands
 * @param resumed rows whose answer was read from the journal of an earlier run
 * @param promptTokens prompt tokens of the calls made in this run
 * @param completionTokens completion tokens of the calls made in this run
 * @param calls calls made in this run, retries included
 * @param wall the run's wall time
 * @param stopped whether the run ended early (interrupted, or stopped at the first failure)
 * @param results every result in input order, when the run collected them; empty when they went to a sink
 */
public record BatchSummary(long rows, long answered, long failed, long resumed, long promptTokens,
                           long completionTokens, long calls, Duration wall, boolean stopped,
                           List<BatchResult> results) {

    /** Checks the components. */
    public BatchSummary {
        Objects.requireNonNull(wall, "wall");
        results = List.copyOf(results);
    }

    /** @return rows settled by calls in this run, per second of wall time */
    public double rowsPerSecond() {
        double s = wall.toNanos() / 1e9;
        return s > 0 ? (answered + failed - resumed) / s : 0;
    }

    /** @return the answers' texts in input order (null for a failed row), when the results were collected */
    public List<String> answers() {
        return results.stream().map(BatchResult::answer).collect(java.util.stream.Collectors.toList());
    }

    /** @return the failed rows, when the results were collected */
    public List<BatchResult> failures() {
        return results.stream().filter(r -> !r.ok()).toList();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d rows: %d answered (%d from the journal), %d failed%s; "
                        + "%d prompt + %d completion tokens in %d calls; %s wall, %.2f rows/s",
                rows, answered, resumed, failed, stopped ? ", stopped early" : "", promptTokens, completionTokens,
                calls, BatchProgress.clock(wall) + String.format(Locale.ROOT, " (%.1f s)", wall.toNanos() / 1e9),
                rowsPerSecond());
    }
}
