package dev.helios4j.notebook;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Escaping for the few places where helios4j, not the model, writes Markdown or HTML. */
final class Markdown {
    /** A fenced code block, or an escaped character: kept as written, apart from the escape's backslash. */
    private static final Pattern KEPT = Pattern.compile("(?ms)^ {0,3}```.*?^ {0,3}```[^\\n]*$|\\\\([\\\\`*_{}\\[\\]()#+\\-.!|~<>])");
    private static final Pattern PROTECTED = Pattern.compile("\uE000(\\d+)\uE001");
    private static final Pattern[] UNWRAP = {
        Pattern.compile("!\\[([^\\]]*)\\]\\([^)]*\\)"),                      // image: its alt text
        Pattern.compile("`([^`]+)`"),                                   // inline code
        Pattern.compile("\\*\\*(\\S(?:.*?\\S)?)\\*\\*"),                  // strong
        Pattern.compile("__(\\S(?:.*?\\S)?)__"),
        Pattern.compile("(?<![\\w*])\\*(\\S(?:.*?\\S)?)\\*(?![\\w*])"),    // emphasis
        Pattern.compile("(?<![\\w_])_(\\S(?:.*?\\S)?)_(?![\\w_])"),
        Pattern.compile("~~(\\S(?:.*?\\S)?)~~"),
        Pattern.compile("(?m)^ {0,3}#{1,6}[ \\t]+(.*?)[ \\t#]*$"),        // heading
        Pattern.compile("(?m)^ {0,3}> ?(.*)$"),                         // block quote
        Pattern.compile("</?[A-Za-z][^>]*>()"),                        // an HTML tag
    };
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)");

    private Markdown() {
    }

    /** Escapes text placed inside HTML, such as a footer or a progress label. */
    static String escapeHtml(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> s.append("&lt;");
                case '>' -> s.append("&gt;");
                case '&' -> s.append("&amp;");
                case '"' -> s.append("&quot;");
                default -> s.append(c);
            }
        }
        return s.toString();
    }

    /**
     * Escapes text that must show literally in Markdown, such as an error message full of
     * {@code snake_case} settings and {@code *} globs that would otherwise turn into emphasis.
     */
    static String escape(String text) {
        StringBuilder s = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if ("\\`*_[]<>#|~".indexOf(c) >= 0) {
                s.append('\\');
            }
            s.append(c);
        }
        return s.toString();
    }

    /** Quotes text as a Markdown block quote, one {@code >} per line. */
    static String quote(String markdown) {
        return "> " + markdown.replace("\n", "\n> ");
    }

    /**
     * Markdown as a reader would say it in plain text: escapes resolved ({@code q4\_k\_m} reads
     * {@code q4_k_m}), emphasis, code ticks, heading and quote marks and HTML tags dropped, a link
     * as {@code text (url)}. Lists, tables and code blocks stay as written: they read well as text.
     */
    static String toPlain(String markdown) {
        java.util.List<String> escaped = new java.util.ArrayList<>();
        Matcher m = KEPT.matcher(markdown);
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            escaped.add(m.group(1) != null ? m.group(1) : m.group());
            m.appendReplacement(s, "\uE000" + (escaped.size() - 1) + "\uE001");
        }
        m.appendTail(s);
        String text = s.toString();
        for (Pattern p : UNWRAP) {
            text = p.matcher(text).replaceAll("$1");
        }
        text = LINK.matcher(text).replaceAll("$1 ($2)");
        return PROTECTED.matcher(text).replaceAll(r -> Matcher.quoteReplacement(escaped.get(Integer.parseInt(r.group(1)))));
    }
}
