package dev.helios4j.local.hf;

import java.util.Locale;

/** Sizes for people: 1.2 GB rather than 1234567890. Decimal units, as the Hub's pages show them. */
final class Bytes {
    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

    private Bytes() {
    }

    static String format(long bytes) {
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
}
