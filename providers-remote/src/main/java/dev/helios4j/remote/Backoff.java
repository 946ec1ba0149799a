package dev.helios4j.remote;

import dev.helios4j.RateLimitException;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long to wait before a retry: capped exponential backoff with jitter, unless the server said
 * how long with {@code retry-after-ms} (OpenAI's, in milliseconds) or {@code Retry-After} (seconds
 * or an HTTP date, RFC 9110).
 */
final class Backoff {
    static final Duration CAP = Duration.ofSeconds(8);
    /** Longer server hints are not waited out inside a call: the exception carries them instead. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

    private Backoff() {
    }

    /**
     * @param attempt 0 for the first retry
     * @param initial the base delay of the first retry
     * @param serverHint what the server asked for, or null
     */
    static Duration delay(int attempt, Duration initial, Duration serverHint) {
        if (serverHint != null) {
            return serverHint;
        }
        long base = initial.toNanos() << Math.min(attempt, 20);
        long capped = Math.min(base, Math.max(CAP.toNanos(), initial.toNanos()));
        // "equal jitter": at least half the delay, so retries never pile up at zero, spread over the rest
        long half = capped / 2;
        return Duration.ofNanos(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }

    /** The server's wait hint, or null when it gave none (or one that cannot be read). */
    static Duration retryAfter(HttpHeaders headers, Instant now) {
        Optional<String> millis = headers.firstValue("retry-after-ms");
        if (millis.isPresent()) {
            try {
                double ms = Double.parseDouble(millis.get().strip());
                if (ms >= 0 && Double.isFinite(ms)) {
                    return Duration.ofNanos((long) (ms * 1e6));
                }
            } catch (NumberFormatException ignored) {
                // fall through to Retry-After
            }
        }
        return headers.firstValue("retry-after").flatMap(v -> RateLimitException.parseRetryAfter(v, now)).orElse(null);
    }
}
