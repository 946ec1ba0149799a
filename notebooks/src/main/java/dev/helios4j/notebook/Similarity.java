package dev.helios4j.notebook;

import dev.helios4j.Embeddings;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmClient;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Compares texts by meaning in a notebook: embeds them and shows the cosine of every pair as a
 * table, shaded from white (0 or below) to green (1), with a plain-text twin for terminals.
 *
 * <pre>{@code
 * Similarity.table(llm, List.of("The sky is blue.", "Why is the sky blue.", "Hello world!"));
 * }</pre>
 *
 * Returns nothing, so the cell shows the table once. Failures are thrown as the client throws
 * them ({@link dev.helios4j.LlmException}, whose message says what to do).
 */
public final class Similarity {
    /** Longer texts are cut in the table's row labels; the vectors are of the whole texts. */
    private static final int LABEL_CHARS = 60;

    private Similarity() {
    }

    /**
     * Embeds the texts with {@code llm} and shows how alike each pair is.
     *
     * @param llm a client whose provider can embed; never null
     * @param texts two or more texts; never null
     */
    public static void table(LlmClient llm, List<String> texts) {
        Objects.requireNonNull(llm, "llm");
        if (texts == null || texts.isEmpty()) {
            throw new InvalidRequestException("Give Similarity.table some texts to compare: List.of(\"a\", \"b\").");
        }
        table(texts, llm.embed(texts));
    }

    /**
     * Shows how alike each pair of vectors is, labelled by the texts they came from.
     *
     * @param labels one label per vector; never null
     * @param vectors vectors of one length, as {@code llm.embed(texts)} returns them; never null
     */
    public static void table(List<String> labels, float[][] vectors) {
        if (labels.size() != vectors.length) {
            throw new InvalidRequestException("There are " + labels.size() + " labels for " + vectors.length
                    + " vectors; give one label per vector.");
        }
        Notebook.show(render(labels, Embeddings.cosineMatrix(vectors)));
    }

    static Output render(List<String> labels, double[][] cosines) {
        StringBuilder html = new StringBuilder("<table class=\"helios4j-similarity\">\n<thead><tr><th></th>");
        for (int j = 0; j < labels.size(); j++) {
            html.append("<th title=\"").append(escape(labels.get(j))).append("\">").append(j + 1).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        StringBuilder plain = new StringBuilder();
        int width = 0;
        for (String label : labels) {
            width = Math.max(width, label(label).length() + 4);
        }
        plain.append(" ".repeat(width));
        for (int j = 0; j < labels.size(); j++) {
            plain.append(String.format(Locale.ROOT, "%6d", j + 1));
        }
        plain.append('\n');
        for (int i = 0; i < labels.size(); i++) {
            String label = label(labels.get(i));
            html.append("<tr><th style=\"text-align:left\">").append(i + 1).append(". ").append(escape(label))
                    .append("</th>");
            String numbered = (i + 1) + ". " + label;
            plain.append(numbered).append(" ".repeat(Math.max(0, width - numbered.length())));
            for (int j = 0; j < labels.size(); j++) {
                String value = String.format(Locale.ROOT, "%.2f", cosines[i][j]);
                html.append("<td style=\"text-align:right;background-color:").append(shade(cosines[i][j])).append("\">")
                        .append(value).append("</td>");
                plain.append(String.format(Locale.ROOT, "%6s", value));
            }
            html.append("</tr>\n");
            plain.append('\n');
        }
        html.append("</tbody>\n</table>");
        return Output.html(html.toString(), plain.toString().stripTrailing());
    }

    private static String label(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= LABEL_CHARS ? oneLine : oneLine.substring(0, LABEL_CHARS - 1) + "…";
    }

    /** White at 0 (and below) to a light green at 1, readable in light and dark themes' text colours. */
    private static String shade(double cosine) {
        double t = Math.max(0, Math.min(1, cosine));
        int r = (int) Math.round(255 - t * (255 - 120));
        int g = (int) Math.round(255 - t * (255 - 200));
        int b = (int) Math.round(255 - t * (255 - 120));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
