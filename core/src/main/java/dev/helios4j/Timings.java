package dev.helios4j;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one call took.
 *
 * @param timeToFirstToken from the call to the first piece of the answer; null when unknown (a
 *     non-streamed call that produced nothing, for instance)
 * @param total from the call to its end; never null
 * @param tokensPerSecond completion tokens per second of generation after the first token, or
 *     {@code NaN} when unknown
 */
public record Timings(Duration timeToFirstToken, Duration total, double tokensPerSecond) {

    /** Checks the components; see the class description for the contract. */
    public Timings {
        Objects.requireNonNull(total, "total");
    }

    @Override
    public String toString() {
        String ttft = timeToFirstToken == null ? "?" : timeToFirstToken.toMillis() + " ms";
        String rate = Double.isNaN(tokensPerSecond) ? "?" : String.format(java.util.Locale.ROOT, "%.1f", tokensPerSecond);
        return "first token " + ttft + ", total " + total.toMillis() + " ms, " + rate + " tokens/s";
    }
}
