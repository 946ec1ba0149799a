package dev.helios4j;

import dev.helios4j.internal.TerminalLine;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How far a {@link Batch} has come: a snapshot given to its progress listener a few times a
 * second, and once more when it ends. Immutable.
 *
 * @param total rows in the input, or -1 while unknown (a stream)
 * @param answered rows with an answer, those read from the journal included
 * @param failed rows that failed after their retries
 * @param resumed of the answered rows, those read from the journal of an earlier run
 * @param inFlight calls under way now
 * @param promptTokens prompt tokens of the calls made in this run (-1 rows excluded)
 * @param completionTokens completion tokens of the calls made in this run
 * @param elapsed wall time of this run so far
 * @param finished whether this is the last snapshot of the run
 */
public record BatchProgress(long total, long answered, long failed, long resumed, int inFlight, long promptTokens,
                            long completionTokens, Duration elapsed, boolean finished) {

    /** @return rows settled (answered or failed) */
    public long done() {
        return answered + failed;
    }

    /** @return rows settled by calls in this run, per second of wall time; 0 before the first */
    public double rowsPerSecond() {
        double s = elapsed.toNanos() / 1e9;
        long now = done() - resumed;
        return s > 0 && now > 0 ? now / s : 0;
    }

    /** @return the time left at the current rate, or null when the total or the rate is not known yet */
    public Duration eta() {
        double rate = rowsPerSecond();
        if (total < 0 || rate <= 0) {
            return null;
        }
        return Duration.ofMillis(Math.round(Math.max(0, total - done()) / rate * 1000));
    }

    /** @return one line: rows, failures, tokens, rate and time left */
    public String line() {
        StringBuilder s = new StringBuilder();
        s.append(done()).append(total >= 0 ? "/" + total : "").append(" rows");
        if (total > 0) {
            s.append(String.format(Locale.ROOT, " (%d%%)", (int) Math.floor(100.0 * done() / total)));
        }
        s.append(failed > 0 ? ", " + failed + " failed" : "");
        s.append(resumed > 0 ? ", " + resumed + " from journal" : "");
        s.append(", ").append(promptTokens + completionTokens).append(" tokens");
        s.append(String.format(Locale.ROOT, ", %.1f rows/s", rowsPerSecond()));
        Duration eta = eta();
        if (finished) {
            s.append(", ").append(clock(elapsed));
        } else if (eta != null) {
            s.append(", ETA ").append(clock(eta));
        }
        return s.toString();
    }

    /**
     * A listener that keeps one line updated in place on the terminal ({@code \r}), at most a few
     * times a second, and ends it with a line break when the batch ends. Reads {@code System.out}
     * on each call (notebook kernels swap it per cell).
     *
     * @return a new listener for one batch
     */
    public static Consumer<BatchProgress> toConsole() {
        return new ConsoleLine();
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public String toString() {
        return line();
    }

    /** The terminal line; the batch already throttles its snapshots. */
    private static final class ConsoleLine implements Consumer<BatchProgress> {
        private final TerminalLine line = new TerminalLine();

        @Override
        public synchronized void accept(BatchProgress p) {
            line.draw(p.line());
            if (p.finished()) {
                line.end();
            }
        }
    }
}
