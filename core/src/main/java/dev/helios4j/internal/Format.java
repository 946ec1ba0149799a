package dev.helios4j.internal;

import java.time.Duration;
import java.util.Locale;

/**
 * Sizes and time limits as people read them, the same in every module's messages and progress
 * bars. Not API: the packages named {@code internal} may change in any release.
 */
public final class Format {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private Format() {
    }

    /**
     * A size in decimal units, as download pages show them: "999 B", "1.2 GB". A value that would
     * round up to 1000 of a unit is shown in the next one ("1.0 MB", never "1000.0 kB").
     *
     * @param bytes a size in bytes, at least 0
     * @return the size for people
     */
    public static String bytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 999.95 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /**
     * A time limit for a message: "500 ms", "30 s", "6 h"; never rounded, so a limit that is not a
     * whole number of seconds stays in milliseconds ("1500 ms", not "1 s").
     *
     * @param limit the limit, not negative
     * @return the limit for people
     */
    public static String duration(Duration limit) {
        if (limit.toMillis() < 1000 || limit.toMillis() % 1000 != 0) {
            return limit.toMillis() + " ms";
        }
        if (limit.toSeconds() < 3600 || limit.toSeconds() % 3600 != 0) {
            return limit.toSeconds() + " s";
        }
        return limit.toHours() + " h";
    }
}
