package dev.helios4j.local.internal.gguf;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cheap look at a Jinja chat template for what llama.cpp b4916's template engine (minja, as of
 * March 2025) cannot survive, without rendering it. minja parses and renders by recursion on the
 * native stack, so a template nested a few hundred deep, or a macro that always calls itself,
 * overflows the stack and kills the process; and it renders every template several times while
 * loading (to probe its capabilities), so one that builds a string of hundreds of megabytes hangs
 * the load for minutes.
 *
 * <p>Three kinds of findings, as b4916 treats them (measured): a {@link Kind#CRASH} kills or hangs
 * the process wherever the template comes from; an {@link Kind#UNPARSABLE} template is replaced
 * by ChatML without a word, whether it is the model's or a setting's; a template that
 * {@link Kind#RAISES} on every render is replaced by ChatML when it is the model's, and aborts
 * the process ("the supplied chat template is not supported") when it is a setting's.
 *
 * <p>The scan follows minja's tokenizer: {@code {# #}} comments, {@code {{ }}} expressions and
 * {@code {% %}} tags with the keywords minja knows; it tracks blocks and brackets, and reads
 * string literals so that delimiters inside them do not count. It does not evaluate anything.
 */
final class JinjaScan {
    // The bounds below were measured on b4916 as shipped in de.kherud:llama:4.2.0, loading the demo
    // model from a Java thread with the default 1 MiB stack (a notebook cell runs on such a thread),
    // each in a child JVM: the depth or length where the process first died, against what real
    // chat templates use.

    /**
     * The deepest nesting accepted, counting open blocks and open brackets together. b4916 died at
     * 480 nested parentheses or brackets, 880 nested for blocks, 2,400 nested if blocks; real chat
     * templates nest about 10 deep. 100 keeps a margin of about five on both sides.
     */
    static final int MAX_NESTING = 100;
    /**
     * The most operators accepted in one expression or tag. minja evaluates an operator chain by
     * recursion: {@code 1 + 1 + ...} died at 1,400 additions, {@code not not ...} at 1,750; real
     * expressions have a few dozen.
     */
    static final int MAX_OPERATORS = 250;
    /**
     * The longest run of spaces or of letters and digits accepted inside a tag or expression, and
     * the longest comment. minja reads these with std::regex, which in libstdc++ recurses once per
     * character: an identifier or the spaces after {@code {%} died at 2,900 characters, a comment
     * at 5,200. Real names and indents are tens of characters.
     */
    static final int MAX_RUN = 500;
    static final int MAX_COMMENT = 1_000;
    /**
     * The longest template accepted. The largest templates real models ship (tool-calling ones)
     * are 10 to 20 thousand characters; longer text did not crash b4916, but a template of
     * hundreds of kilobytes is damage, and b4916 renders it several times at every load.
     */
    static final int MAX_CHARS = 256 * 1024;
    /**
     * The largest literal repeat count accepted for {@code *} next to a string, list or variable,
     * and for {@code range(n)}. b4916 renders a template several times while loading (to probe
     * what it supports): {@code 'ab' * 100000} made a load and one answer take 8 s, 300,000 took
     * 49 s, and 1,000,000 did not finish in 100 s. Real templates repeat a separator a few dozen
     * times at most.
     */
    static final long MAX_REPEAT = 10_000;

    /** minja's block keywords (its tokenizer's list, less {@code block}/{@code endblock}, which it rejects). */
    private static final Map<String, String> ENDS = Map.of("endif", "if", "endfor", "for",
            "endgeneration", "generation", "endmacro", "macro", "endfilter", "filter", "endset", "set");
    private static final Set<String> KEYWORDS = Set.of("if", "elif", "else", "endif", "for", "endfor",
            "generation", "endgeneration", "set", "endset", "macro", "endmacro", "filter", "endfilter",
            "break", "continue");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern CALL = Pattern.compile("(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Pattern OPERATOR_WORD = Pattern.compile("(and|or|not|in|is|if|else)(?![A-Za-z0-9_])");
    private static final Pattern INLINE_IF = Pattern.compile("(?<![A-Za-z0-9_])if(?![A-Za-z0-9_])");

    /** What is wrong, in words that complete "the template ...". */
    record Finding(String problem, Kind kind) {
        boolean fatal() {
            return kind == Kind.CRASH;
        }
    }

    enum Kind { CRASH, UNPARSABLE, RAISES }

    private final String t;
    private int pos;
    /** Open blocks; a macro's entry is "macro:NAME". */
    private final Deque<String> blocks = new ArrayDeque<>();
    /** Calls made from macros outside any if, for or inline if. */
    private final MacroCalls macros = new MacroCalls();
    private Finding syntax;
    private Finding raises;

    private JinjaScan(String template) {
        this.t = template;
    }

    /** The first crash, else the first reason it does not parse, else a certain raise, else null. */
    static Finding scan(String template) {
        if (template.length() > MAX_CHARS) {
            return new Finding("is " + template.length() + " characters long, more than the " + MAX_CHARS
                    + " accepted (real chat templates have at most a few tens of thousands)", Kind.CRASH);
        }
        return new JinjaScan(template).run();
    }

    private Finding run() {
        try {
            while (pos < t.length()) {
                int open = nextOpen(pos);
                if (open < 0) {
                    break;
                }
                char kind = t.charAt(open + 1);
                pos = open + 2;
                if (kind == '#') {
                    int close = t.indexOf("#}", pos);
                    if (close < 0) {
                        syntax("has a comment opened with {# at " + where(open) + " and never closed with #}");
                        break;
                    }
                    if (close - open > MAX_COMMENT) {
                        return new Finding("has a comment of " + (close - open + 2) + " characters at " + where(open)
                                + ", longer than the " + MAX_COMMENT + " accepted; llama.cpp's template engine "
                                + "reads comments with a regular expression that overflows the native stack on long "
                                + "ones", Kind.CRASH);
                    }
                    pos = close + 2;
                } else if (kind == '{') {
                    Finding f = expression(open, "}}");
                    if (f != null) {
                        return f;
                    }
                } else {
                    Finding f = tag(open);
                    if (f != null) {
                        return f;
                    }
                }
            }
            if (!blocks.isEmpty()) {
                syntax("never closes its {% " + blocks.peek().replaceFirst(":.*", "") + " %} block (end with {% end"
                        + blocks.peek().replaceFirst(":.*", "") + " %})");
            }
            String cycle = macros.cycle();
            if (cycle != null) {
                return new Finding("defines the macro " + cycle + ", which always calls itself: rendering it "
                        + "recurses until the native stack overflows", Kind.CRASH);
            }
            return syntax != null ? syntax : raises;
        } catch (Fatal e) {
            return e.finding;
        }
    }

    /** A fatal finding ends the scan at once. */
    private static final class Fatal extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Finding finding;

        Fatal(Finding finding) {
            super(null, null, false, false);
            this.finding = finding;
        }
    }

    private int nextOpen(int from) {
        for (int i = t.indexOf('{', from); i >= 0 && i + 1 < t.length(); i = t.indexOf('{', i + 1)) {
            char c = t.charAt(i + 1);
            if (c == '{' || c == '%' || c == '#') {
                return i;
            }
        }
        return -1;
    }

    private void syntax(String problem) {
        if (syntax == null) {
            syntax = new Finding(problem, Kind.UNPARSABLE);
        }
    }

    private Finding tag(int open) {
        int start = pos;
        if (start < t.length() && (t.charAt(start) == '-' || t.charAt(start) == '~')) { // minja has no {%+
            start++;
        }
        while (start < t.length() && Character.isWhitespace(t.charAt(start))) {
            start++;
        }
        if (start - pos > MAX_RUN) {
            return longRun(start - pos, "spaces", open);
        }
        Matcher m = IDENT.matcher(t).region(start, t.length());
        String keyword = m.lookingAt() ? m.group() : "";
        if (!KEYWORDS.contains(keyword)) {
            syntax("uses {% " + (keyword.isEmpty() ? "..." : keyword) + " %} at " + where(open)
                    + ", which the bundled llama.cpp's template engine does not know (it knows "
                    + "if, for, set, macro, filter, generation, break and continue)");
        }
        pos = keyword.isEmpty() ? start : m.end();
        int bodyStart = pos;
        Finding f = expression(open, "%}");
        if (f != null) {
            return f;
        }
        String body = t.substring(bodyStart, Math.max(bodyStart, pos - 2));
        switch (keyword) {
            case "if", "for", "generation", "filter" -> push(keyword, open);
            case "macro" -> {
                Matcher name = IDENT.matcher(body.strip());
                String macro = name.lookingAt() ? name.group() : "?";
                macros.define(macro);
                push("macro:" + macro, open);
            }
            case "set" -> {
                if (!hasTopLevelEquals(body)) {
                    push("set", open); // {% set x %}...{% endset %}
                }
            }
            case "elif", "else" -> {
                String top = blocks.isEmpty() ? "" : blocks.peek();
                if (!top.equals("if") && !(keyword.equals("else") && top.equals("for"))) {
                    syntax("has {% " + keyword + " %} at " + where(open) + " outside an if block");
                }
            }
            default -> {
                String opener = ENDS.get(keyword);
                if (opener != null) {
                    String top = blocks.isEmpty() ? "" : blocks.peek().replaceFirst(":.*", "");
                    if (!top.equals(opener)) {
                        syntax("has {% " + keyword + " %} at " + where(open) + (top.isEmpty()
                                ? " without an open block" : " where {% end" + top + " %} was expected"));
                    } else {
                        blocks.pop();
                    }
                }
            }
        }
        return null;
    }

    private void push(String block, int open) {
        blocks.push(block);
        if (blocks.size() > MAX_NESTING) {
            throw new Fatal(new Finding("nests blocks more than " + MAX_NESTING + " deep (at " + where(open)
                    + "); llama.cpp's template engine recurses on the native stack and overflows it", Kind.CRASH));
        }
    }

    private static boolean hasTopLevelEquals(String body) {
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\'' || c == '"') {
                return false; // a value follows; only `set NAME` lacks one
            }
            if (c == '=' && (i + 1 >= body.length() || body.charAt(i + 1) != '=')) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads from {@link #pos} to the closing delimiter, outside strings, tracking bracket depth
     * and collecting what matters: literal repeat counts and calls made from a macro.
     */
    private Finding expression(int open, String close) {
        int depth = 0;
        StringBuilder code = new StringBuilder(); // the expression with string contents blanked
        int run = 0;
        int operators = 0;
        int i = pos;
        while (i < t.length()) {
            char c = t.charAt(i);
            boolean word = Character.isLetterOrDigit(c) || c == '_';
            boolean space = Character.isWhitespace(c);
            boolean sameRun = i > pos && (word && isWord(t.charAt(i - 1)) || space && Character.isWhitespace(t.charAt(i - 1)));
            run = word || space ? (sameRun ? run + 1 : 1) : 0;
            if (run > MAX_RUN) {
                return longRun(run, space ? "spaces" : "letters and digits", open);
            }
            if (!word && !space && ",:)]}=\'\"".indexOf(c) < 0 || word && !isWord(i > 0 ? t.charAt(i - 1) : ' ')
                    && OPERATOR_WORD.matcher(t).region(i, t.length()).lookingAt()) {
                if (++operators > MAX_OPERATORS) {
                    return new Finding("has more than " + MAX_OPERATORS + " operators in the expression at " + where(open)
                            + "; llama.cpp's template engine evaluates operator chains by recursion on the native "
                            + "stack and overflows it", Kind.CRASH);
                }
            }
            if (c == '\'' || c == '"') {
                int end = stringEnd(i);
                if (end < 0) {
                    syntax("has a string opened at " + where(i) + " and never closed");
                    pos = t.length();
                    return null;
                }
                code.append("''");
                i = end;
                continue;
            }
            if (depth == 0 && t.startsWith(close, i)) {
                pos = i + 2;
                return checkExpression(code.toString(), open);
            }
            if (c == '(' || c == '[' || c == '{') {
                depth++;
                if (depth + blocks.size() > MAX_NESTING) {
                    return new Finding("nests brackets and blocks more than " + MAX_NESTING + " deep (at " + where(i)
                            + "); llama.cpp's template engine recurses on the native stack and overflows it", Kind.CRASH);
                }
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            }
            code.append(c);
            i++;
        }
        syntax("has " + (close.equals("}}") ? "an expression opened with {{" : "a tag opened with {%") + " at "
                + where(open) + " and never closed with " + close);
        pos = t.length();
        return null;
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private Finding longRun(int length, String what, int open) {
        return new Finding("has a run of more than " + MAX_RUN + " " + what + " in the tag or expression at "
                + where(open) + "; llama.cpp's template engine reads these with a regular expression that "
                + "overflows the native stack on long runs (" + length + " so far)", Kind.CRASH);
    }

    /** The index after a string literal's closing quote, or -1 when it is not closed. */
    private int stringEnd(int quote) {
        char q = t.charAt(quote);
        for (int i = quote + 1; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == q) {
                return i + 1;
            }
        }
        return -1;
    }

    private Finding checkExpression(String code, int open) {
        long repeat = Repetition.largest(code);
        if (repeat > MAX_REPEAT) {
            return new Finding("repeats something " + (repeat == Long.MAX_VALUE ? "more than 10^18" : String.valueOf(repeat))
                    + " times (at " + where(open) + "); llama.cpp renders a template several times while loading, so "
                    + "this hangs the load (at most " + MAX_REPEAT + " repetitions are accepted)", Kind.CRASH);
        }
        if (blocks.isEmpty() && !INLINE_IF.matcher(code).find()) {
            Matcher call = CALL.matcher(code);
            while (call.find()) {
                if (call.group(1).equals("raise_exception")) {
                    if (raises == null) {
                        raises = new Finding("calls raise_exception at " + where(open) + " outside any condition "
                                + "(it fails on every render)", Kind.RAISES);
                    }
                }
            }
        }
        String macro = currentMacro();
        if (macro != null && unconditional() && !INLINE_IF.matcher(code).find()) {
            Matcher call = CALL.matcher(code);
            while (call.find()) {
                macros.alwaysCalls(macro, call.group(1));
            }
        }
        return null;
    }

    private String currentMacro() {
        for (String b : blocks) {
            if (b.startsWith("macro:")) {
                return b.substring("macro:".length());
            }
        }
        return null;
    }

    /** True when no if or for lies between the innermost macro and here. */
    private boolean unconditional() {
        for (String b : blocks) {
            if (b.startsWith("macro:")) {
                return true;
            }
            if (b.equals("if") || b.equals("for")) {
                return false;
            }
        }
        return false;
    }

    private String where(int index) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index && i < t.length(); i++) {
            if (t.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return "line " + line + ", column " + (index - lineStart + 1);
    }
}
