package dev.helios4j.notebook;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One rendering of a live output: a rich form (Markdown or HTML) and its plain-text twin.
 * Front ends that show mime bundles send both; a terminal prints only the plain one.
 */
record Output(String richMime, String rich, String plain) {
    static final String MARKDOWN = "text/markdown";
    static final String HTML = "text/html";
    static final String PLAIN = "text/plain";

    Output {
        Objects.requireNonNull(richMime, "richMime");
        Objects.requireNonNull(rich, "rich");
        Objects.requireNonNull(plain, "plain");
    }

    static Output markdown(String markdown, String plain) {
        return new Output(MARKDOWN, markdown, plain);
    }

    static Output html(String html, String plain) {
        return new Output(HTML, html, plain);
    }

    /** The mime bundle, rich form first, as Jupyter's {@code data} field holds it. */
    Map<String, String> bundle() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(richMime, rich);
        data.put(PLAIN, plain);
        return data;
    }
}
