package dev.helios4j.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottleTest {
    private long now = 1_000_000_000L; // a clock the test moves; no sleeping

    @Test
    void theFirstUpdatePassesThenEachWaitsForTheWholeInterval() {
        Throttle throttle = new Throttle(() -> now, Duration.ofMillis(100));
        assertTrue(throttle.tryPass(), "the first update always passes");
        now += Duration.ofMillis(99).toNanos();
        assertFalse(throttle.tryPass());
        now += Duration.ofMillis(1).toNanos();
        assertTrue(throttle.tryPass());
        assertFalse(throttle.tryPass(), "the interval starts again from the update that passed");
    }

    @Test
    void anUpdateThatWentWithoutAskingMakesTheNextOneWait() {
        Throttle throttle = new Throttle(() -> now, Duration.ofMillis(100));
        throttle.restart();
        now += Duration.ofMillis(99).toNanos();
        assertFalse(throttle.tryPass());
        now += Duration.ofMillis(1).toNanos();
        assertTrue(throttle.tryPass());
    }
}
