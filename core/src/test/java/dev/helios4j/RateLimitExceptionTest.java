package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitExceptionTest {
    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2025-03-10T12:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(7)), RateLimitException.parseRetryAfter("7", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)), RateLimitException.parseRetryAfter("Mon, 10 Mar 2025 12:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), RateLimitException.parseRetryAfter("Mon, 10 Mar 2025 11:00:00 GMT", now));
        assertEquals(Optional.empty(), RateLimitException.parseRetryAfter("soon", now));
        assertEquals(Optional.empty(), RateLimitException.parseRetryAfter("-3", now));
    }
}
