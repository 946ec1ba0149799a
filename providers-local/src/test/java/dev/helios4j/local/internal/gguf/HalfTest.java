package dev.helios4j.local.internal.gguf;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HalfTest {

    @Test
    void everyFiniteHalfSurvivesARoundTrip() {
        for (int h = 0; h < 0x10000; h++) {
            float f = Half.toFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals((short) h, Half.fromFloat(f), () -> "half 0x" + Integer.toHexString(f2h(f)));
            }
        }
    }

    @Test
    void valuesBetweenTwoHalvesRoundToTheNearestAndTiesToEven() {
        // 1 + 2^-11 lies exactly between 1 (even mantissa) and 1 + 2^-10: ties go to even.
        assertEquals(0x3c00, Half.fromFloat(1f + 0x1p-11f) & 0xffff);
        // 1 + 3 * 2^-11 lies between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
        assertEquals(0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f) & 0xffff);
        assertEquals(0x3c01, Half.fromFloat(1f + 0x1p-11f + 0x1p-20f) & 0xffff);
        assertEquals(0.0200042724609375f, Half.toFloat(Half.fromFloat(0.02f)));
    }

    @Test
    void overflowBecomesInfinityAndTinyValuesBecomeSubnormalOrZero() {
        assertEquals(0x7c00, Half.fromFloat(70000f) & 0xffff);
        assertEquals(0xfc00, Half.fromFloat(Float.NEGATIVE_INFINITY) & 0xffff);
        assertTrue(Float.isNaN(Half.toFloat(Half.fromFloat(Float.NaN))));
        assertEquals(0x0001, Half.fromFloat(0x1p-24f) & 0xffff);
        assertEquals(0x0000, Half.fromFloat(0x1p-26f) & 0xffff);
        assertEquals(0x8000, Half.fromFloat(-0f) & 0xffff);
    }

    private static int f2h(float f) {
        return Half.fromFloat(f) & 0xffff;
    }
}
