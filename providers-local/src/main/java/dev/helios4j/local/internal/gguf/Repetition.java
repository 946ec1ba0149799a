package dev.helios4j.local.internal.gguf;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many times one Jinja expression repeats something by literal counts: {@code 'ab' * 300000000}
 * builds a string of 600 MB, {@code range(n)} loops run n times. Only literal counts
 * are seen; a count computed at render time is not.
 */
final class Repetition {
    /** A product of operands: numbers, (blanked) string literals and dotted names. */
    private static final Pattern PRODUCT = Pattern.compile(
            "(?<![\\w.'])(\\d+|''|[A-Za-z_][\\w.]*)(?:\\s*\\*(?!\\*)\\s*(\\d+|''|[A-Za-z_][\\w.]*))+(?![\\w.'])");
    private static final Pattern RANGE = Pattern.compile("(?<![\\w.])range\\s*\\(\\s*(\\d+)\\s*\\)");

    private Repetition() {
    }

    /**
     * The largest literal repeat count in {@code code} (an expression whose string literals are
     * blanked to {@code ''}): the product of the numbers in a product that also has a string or a
     * name in it, or a literal {@code range(n)}. Long.MAX_VALUE when it exceeds 2^63; 0 for none.
     */
    static long largest(String code) {
        long largest = 0;
        // Brackets do not change what a product repeats: ('a' + b) * n repeats a string.
        Matcher m = PRODUCT.matcher(code.replaceAll("[()\\[\\]]", " "));
        while (m.find()) {
            long count = 1;
            boolean repeatsSomething = false;
            for (String operand : m.group().split("\\*")) {
                String o = operand.strip();
                if (o.chars().allMatch(Character::isDigit)) {
                    count = times(count, number(o));
                } else {
                    repeatsSomething = true;
                }
            }
            if (repeatsSomething) {
                largest = Math.max(largest, count);
            }
        }
        Matcher r = RANGE.matcher(code);
        while (r.find()) {
            largest = Math.max(largest, number(r.group(1)));
        }
        return largest;
    }

    private static long number(String digits) {
        return digits.length() > 18 ? Long.MAX_VALUE : Long.parseLong(digits);
    }

    private static long times(long a, long b) {
        long r = a * b;
        return b != 0 && (r / b != a || r < 0) ? Long.MAX_VALUE : r;
    }
}
