package dev.helios4j.notebook;

import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.Usage;
import java.util.Locale;

/**
 * Renders one answer in each of its states: waiting, streaming, done, stopped, failed. The model's
 * text goes into the Markdown as it is (models answer in Markdown); the plain twin holds the same
 * text, so a front end without Markdown shows the answer word for word.
 *
 * <p>Plain-text layout, which the notebook runner relies on: the header, the answer, then, when
 * there is a footer or a mark, a blank line and one line in square brackets.
 */
final class AnswerFormat {
    private static final String CURSOR = " ▍";

    private final String label;
    private final boolean footer;
    private final String headerMarkdown;
    private final String headerPlain;

    /**
     * @param label names the model in the footer when the response does not
     * @param footer whether to show model, tokens and tokens per second under the answer
     * @param headerMarkdown shown above the answer (a transcript's question), or ""
     * @param headerPlain the same, in plain text
     */
    AnswerFormat(String label, boolean footer, String headerMarkdown, String headerPlain) {
        this.label = label;
        this.footer = footer;
        this.headerMarkdown = headerMarkdown;
        this.headerPlain = headerPlain;
    }

    String headerPlain() {
        return headerPlain;
    }

    Output pending() {
        return Output.markdown(headerMarkdown + "*…*", headerPlain + "…");
    }

    Output streaming(CharSequence text) {
        String t = text.toString();
        return Output.markdown(headerMarkdown + closeFences(t) + CURSOR, headerPlain + t);
    }

    Output done(ChatResponse response) {
        String text = response.text();
        String line = footer ? footerLine(response) : response.finishReason() == FinishReason.LENGTH
                ? "cut off at the token limit" : null;
        if (text.isEmpty() && line == null) {
            return Output.markdown(headerMarkdown + "*(empty answer)*", headerPlain);
        }
        return withLine(text, line);
    }

    Output stopped(String partial) {
        return withLine(partial, "⏹ stopped" + (footer ? " · " + label : ""));
    }

    Output failed(String partial, Throwable failure) {
        ErrorReport report = ErrorReport.of(failure);
        String md = partial.isEmpty() ? "" : closeFences(partial) + "\n\n";
        String plain = partial.isEmpty() ? "" : partial + "\n\n";
        return Output.markdown(headerMarkdown + md + report.markdown(), headerPlain + plain + report.plain());
    }

    /** The footer's text: model, completion tokens, speed, and why it ended when that is news. */
    String footerLine(ChatResponse response) {
        StringBuilder s = new StringBuilder(response.model().isEmpty() ? label : response.model());
        Usage usage = response.usage();
        s.append(" · ").append(usage.isKnown() ? usage.completionTokens() + " tokens" : "tokens unknown");
        double rate = response.timings().tokensPerSecond();
        if (!Double.isNaN(rate)) {
            s.append(" · ").append(String.format(Locale.ROOT, "%.1f tokens/s", rate));
        }
        if (response.finishReason() == FinishReason.LENGTH) {
            s.append(" · cut off at the token limit");
        }
        return s.toString();
    }

    private Output withLine(String text, String line) {
        if (line == null) {
            return Output.markdown(headerMarkdown + closeFences(text), headerPlain + text);
        }
        String body = text.isEmpty() ? "" : closeFences(text) + "\n\n";
        String plainBody = text.isEmpty() ? "" : text + "\n\n";
        return Output.markdown(headerMarkdown + body + "<sub>" + Markdown.escapeHtml(line) + "</sub>",
                headerPlain + plainBody + "[" + line + "]");
    }

    /**
     * Closes a code fence the text left open (an answer cut mid-block), so the cursor and the
     * footer are not swallowed into the code block.
     */
    static String closeFences(String text) {
        int fences = 0;
        for (String line : text.split("\n", -1)) {
            if (line.stripLeading().startsWith("```")) {
                fences++;
            }
        }
        return fences % 2 == 0 ? text : text + "\n```";
    }

    @Override
    public String toString() {
        return "AnswerFormat[" + label + (footer ? ", footer" : "") + "]";
    }
}
