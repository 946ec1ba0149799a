package dev.helios4j.local.hf;

import java.time.Duration;

/** Time limits for messages: "500 ms", "30 s", "6 h", never "0 s" for a short limit. */
final class Durations {
    private Durations() {
    }

    static String format(Duration d) {
        if (d.toMillis() < 1000) {
            return d.toMillis() + " ms";
        }
        if (d.toSeconds() < 3600 || d.toSeconds() % 3600 != 0) {
            return d.toSeconds() + " s";
        }
        return d.toHours() + " h";
    }
}
