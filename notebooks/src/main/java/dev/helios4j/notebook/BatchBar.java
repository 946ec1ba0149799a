package dev.helios4j.notebook;

import dev.helios4j.BatchProgress;
import dev.helios4j.internal.Throttle;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The live bar of a {@link dev.helios4j.Batch}: in a notebook, one HTML output updated in place
 * (a {@code <progress>} bar, rows done and failed, tokens, rows per second, time left, and the
 * totals when the batch ends); on a terminal, one line rewritten with {@code \r}.
 *
 * <pre>{@code
 * Batch.ofCsv(Path.of("tickets.csv")).prompt("Classify: {body}").progress(BatchBar.create()).run(llm);
 * }</pre>
 *
 * <p>The batch calls it on the cell's thread a few times a second and once at the end, which is
 * drawn however soon it follows the one before. A bar serves one run: create one per run.
 */
public final class BatchBar implements Consumer<BatchProgress> {
    private final Frontend frontend;
    private final Throttle throttle;
    private final Consumer<BatchProgress> console;
    private final String displayId = "helios4j-batch-" + UUID.randomUUID();
    private boolean shown;

    BatchBar(Frontend frontend, Throttle throttle) {
        this.frontend = frontend;
        this.throttle = throttle;
        this.console = frontend == null ? BatchProgress.toConsole() : null;
    }

    /** @return a bar for the notebook this JVM runs in, or the terminal line without one */
    public static BatchBar create() {
        return new BatchBar(Kernels.current().orElse(null), Throttle.systemDefault());
    }

    @Override
    public synchronized void accept(BatchProgress p) {
        if (!p.finished() && !throttle.tryPass()) { // the first always passes
            return;
        }
        if (console != null) {
            console.accept(p);
            return;
        }
        Output output = Output.html(html(p), p.line());
        boolean first = !shown;
        shown = true;
        KernelCalls.run(() -> {
            if (first) {
                frontend.display(displayId, output);
            } else {
                frontend.update(displayId, output);
            }
        });
    }

    static String html(BatchProgress p) {
        String bar = p.total() > 0
                ? "<progress value=\"" + Math.min(p.done(), p.total()) + "\" max=\"" + p.total() + "\""
                : "<progress"; // total not known: an indeterminate bar
        String state = p.finished() ? (p.failed() > 0 ? " &#9888;" : " &#10003;") : "";
        return "<div>" + bar + " style=\"width:24em;vertical-align:middle\"></progress> "
                + Markdown.escapeHtml(p.line()) + state + "</div>";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "BatchBar[%s]", frontend == null ? "terminal" : frontend.name());
    }
}
