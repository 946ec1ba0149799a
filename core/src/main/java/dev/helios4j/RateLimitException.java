package dev.helios4j;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The server is rate limiting this client (HTTP 429). Carries the server's Retry-After hint. */
public class RateLimitException extends HttpException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /**
     * @param message what failed and what to do; must not be null
     * @param bodyExcerpt the start of the response body, or null
     * @param retryAfter how long the server asked us to wait, or null when it did not say
     */
    public RateLimitException(String message, String bodyExcerpt, Duration retryAfter) {
        super(message, 429, bodyExcerpt, null);
        this.retryAfter = retryAfter;
    }

    /** @return how long the server asked the client to wait, when it said */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Reads an HTTP {@code Retry-After} value, for providers that build this exception: a number
     * of seconds, or an HTTP date (a date already past means no wait).
     *
     * @param headerValue the header's value; never null
     * @param now the current time, to turn a date into a wait
     * @return the wait, or empty when the value is neither form
     */
    public static Optional<Duration> parseRetryAfter(String headerValue, Instant now) {
        String v = headerValue.strip();
        try {
            long seconds = Long.parseLong(v);
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
