package dev.helios4j.notebook;

/** Escaping for the few places where helios4j, not the model, writes Markdown or HTML. */
final class Markdown {
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
}
