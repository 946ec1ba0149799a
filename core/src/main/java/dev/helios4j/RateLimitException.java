package dev.helios4j;

import java.time.Duration;
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
}
