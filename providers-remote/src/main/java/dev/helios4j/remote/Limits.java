package dev.helios4j.remote;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Settings;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much of a server's answer is held at once. The timeouts never fire on a server that keeps
 * sending, so without these one endless line, event or JSON body fills the heap. The defaults are
 * far above any real answer (a chat chunk is ~200 bytes; a long answer a few hundred KB).
 *
 * @param line the longest event-stream line, in bytes ({@code openai.limit.line})
 * @param event the largest event, its {@code data:} lines joined ({@code openai.limit.event})
 * @param body the largest answer that is not streamed, one JSON document ({@code openai.limit.body})
 */
record Limits(int line, int event, int body) {
    static final String LINE = "openai.limit.line";
    static final String EVENT = "openai.limit.event";
    static final String BODY = "openai.limit.body";
    static final Limits DEFAULT = new Limits(1 << 20, 8 << 20, 32 << 20);

    private static final int SMALLEST = 1024;
    /** Arrays hold a little under 2 GiB. */
    private static final long LARGEST = Integer.MAX_VALUE - 64;
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

    static Limits from(Settings settings) {
        return new Limits(size(settings, LINE, DEFAULT.line), size(settings, EVENT, DEFAULT.event),
                size(settings, BODY, DEFAULT.body));
    }

    /** Reads a size such as {@code 1048576}, {@code 512KiB}, {@code 4MiB} or {@code 1g}; units are powers of 1024. */
    static int size(Settings settings, String key, int fallback) {
        String text = settings.get(key).orElse(null);
        if (text == null) {
            return fallback;
        }
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        long bytes = -1;
        if (m.matches() && m.group(1).length() <= 12) {
            int shift = switch (m.group(2)) {
                case "k", "kb", "kib" -> 10;
                case "m", "mb", "mib" -> 20;
                case "g", "gb", "gib" -> 30;
                default -> 0;
            };
            bytes = Long.parseLong(m.group(1)) << shift;
        }
        if (bytes < SMALLEST || bytes > LARGEST) {
            throw new InvalidRequestException("The setting " + key + " must be a size from 1KiB to 2047MiB, such as "
                    + "1048576, 512KiB or 4MiB, got '" + text + "'.");
        }
        return (int) bytes;
    }

    /** A larger value to suggest in a message, as the setting takes it: four times, at most the largest. */
    static String raised(int bytes) {
        long next = Math.min((long) bytes * 4, 2047L << 20);
        return next % (1 << 20) == 0 ? (next >> 20) + "MiB" : next % 1024 == 0 ? (next >> 10) + "KiB" : Long.toString(next);
    }

    /** A size as people read it: {@code 1 MiB}, {@code 64 KiB}, {@code 1500 bytes}. */
    static String show(int bytes) {
        if (bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
