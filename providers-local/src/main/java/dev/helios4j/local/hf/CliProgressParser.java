package dev.helios4j.local.hf;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the progress bars the {@code hf} CLI draws on stderr (tqdm's format, such as
 * {@code model.gguf:  45%|████▌     | 450M/1.00G [00:10<00:12, 45.0MB/s]}) back into byte counts.
 * Knows nothing of processes: it takes one line at a time, so it is tested with plain strings.
 */
final class CliProgressParser {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final Pattern BAR = Pattern.compile(
            "^(?<desc>.*?):?\\s*(?<pct>\\d{1,3})%\\|[^|]*\\|\\s*"
                    + "(?<done>\\d+(?:\\.\\d+)?)\\s*(?<doneUnit>[kKMGTP]?)i?B?"
                    + "/(?<total>\\d+(?:\\.\\d+)?)\\s*(?<totalUnit>[kKMGTP]?)i?B?(?:\\s|\\[|$).*");

    private CliProgressParser() {
    }

    /** @return the line without colour codes and surrounding blanks */
    static String clean(String line) {
        return ANSI.matcher(line).replaceAll("").strip();
    }

    /**
     * @return the bytes done and total a progress-bar line shows, or empty for any other line
     *     (including the "Fetching N files" bar, which counts files, not bytes)
     */
    static Optional<long[]> parse(String line) {
        Matcher m = BAR.matcher(clean(line));
        if (!m.matches() || m.group("desc").strip().startsWith("Fetching")) {
            return Optional.empty();
        }
        long done = scaled(m.group("done"), m.group("doneUnit"));
        long total = scaled(m.group("total"), m.group("totalUnit"));
        return Optional.of(new long[] {done, total});
    }

    /** @return whether a line is a progress bar of any kind, which errors need not repeat */
    static boolean isBar(String line) {
        return clean(line).matches(".*\\d{1,3}%\\|.*\\|.*");
    }

    // tqdm's unit_scale prints with a divisor of 1000 and suffixes k, M, G, T, P.
    private static long scaled(String number, String unit) {
        double value = Double.parseDouble(number);
        int power = unit.isEmpty() ? 0 : "KMGTP".indexOf(unit.toUpperCase(Locale.ROOT)) + 1;
        return Math.round(value * Math.pow(1000, power));
    }
}
