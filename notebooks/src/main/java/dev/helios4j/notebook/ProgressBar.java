package dev.helios4j.notebook;

import dev.helios4j.ProgressListener;
import dev.helios4j.internal.Format;
import dev.helios4j.internal.TerminalLine;
import dev.helios4j.internal.Throttle;
import java.util.Locale;
import java.util.UUID;

/**
 * A progress bar for downloads: an HTML {@code <progress>} bar that updates in place in a notebook,
 * one line rewritten with {@code \r} on a terminal. Get one from {@link Notebook#progress()}.
 *
 * <p>Updates are throttled like answers; the bar is drawn a last time, exactly, when the bytes
 * reach the total or on {@link #close()} (for transfers of unknown size). Thread-safe.
 */
public final class ProgressBar implements ProgressListener, AutoCloseable {
    private static final int WIDTH = 30;

    private final Frontend frontend;
    private final Throttle throttle;
    private final String displayId = "helios4j-progress-" + UUID.randomUUID();
    private long done;
    private long total = -1;
    private String label = "";
    private boolean shown;
    private boolean finished;
    private final TerminalLine terminal = new TerminalLine();

    /** @param frontend the kernel to draw in, or null for the terminal */
    ProgressBar(Frontend frontend, Throttle throttle) {
        this.frontend = frontend;
        this.throttle = throttle;
    }

    @Override
    public synchronized void onProgress(long bytesDone, long bytesTotal, String label) {
        if (finished) {
            return;
        }
        this.done = Math.max(0, bytesDone);
        this.total = bytesTotal;
        this.label = label == null ? "" : label;
        boolean complete = total > 0 && done >= total;
        if (complete || throttle.tryPass()) { // the first always passes
            boolean first = !shown;
            shown = true;
            draw(first);
        }
        if (complete) {
            finish();
        }
    }

    /** Draws the last state exactly and ends the line on a terminal. Idempotent. */
    @Override
    public synchronized void close() {
        if (shown && !finished) {
            draw(false);
            finish();
        }
    }

    private void finish() {
        finished = true;
        terminal.end();
    }

    private void draw(boolean first) {
        String plain = plainLine(done, total, label);
        if (frontend == null) {
            terminal.draw(plain);
            return;
        }
        Output output = Output.html(html(done, total, label), plain);
        KernelCalls.run(() -> {
            if (first) {
                frontend.display(displayId, output);
            } else {
                frontend.update(displayId, output);
            }
        });
    }

    static String plainLine(long done, long total, String label) {
        String prefix = label.isEmpty() ? "" : label + " ";
        if (total <= 0) {
            return prefix + Format.bytes(done);
        }
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        return prefix + "[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100)) + " " + Format.bytes(done) + " / " + Format.bytes(total);
    }

    static String html(long done, long total, String label) {
        String bar = total > 0
                ? "<progress value=\"" + Math.min(done, total) + "\" max=\"" + total + "\""
                : "<progress"; // no value: the browser draws an indeterminate bar
        String amount = total > 0
                ? Format.bytes(done) + " of " + Format.bytes(total) + String.format(Locale.ROOT, " (%d%%)", (int) Math.floor(Math.min(1.0, (double) done / total) * 100))
                : Format.bytes(done);
        return "<div>" + bar + " style=\"width:24em;vertical-align:middle\"></progress> "
                + (label.isEmpty() ? "" : "<code>" + Markdown.escapeHtml(label) + "</code> ") + amount + "</div>";
    }
}
