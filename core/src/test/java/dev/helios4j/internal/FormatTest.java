package dev.helios4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FormatTest {
    @Test
    void sizesUseDecimalUnitsAndNeverShowAThousandOfAUnit() {
        assertEquals("0 B", Format.bytes(0));
        assertEquals("999 B", Format.bytes(999));
        assertEquals("1.0 kB", Format.bytes(1000));
        assertEquals("1.4 MB", Format.bytes(1_400_000));
        assertEquals("1.0 MB", Format.bytes(999_999), "not 1000.0 kB");
        assertEquals("1.0 GB", Format.bytes(999_960_000));
        assertEquals("2.4 GB", Format.bytes(2_360_000_000L));
        assertEquals("9223.4 PB", Format.bytes(Long.MAX_VALUE), "the largest unit takes any size");
    }

    @Test
    void limitsAreShownInTheirNaturalUnit() {
        assertEquals("500 ms", Format.duration(Duration.ofMillis(500)));
        assertEquals("0 ms", Format.duration(Duration.ZERO));
        assertEquals("30 s", Format.duration(Duration.ofSeconds(30)));
        assertEquals("1500 ms", Format.duration(Duration.ofMillis(1500)), "not rounded to a whole second");
        assertEquals("5400 s", Format.duration(Duration.ofMinutes(90)), "not a whole number of hours");
        assertEquals("6 h", Format.duration(Duration.ofHours(6)));
    }
}
