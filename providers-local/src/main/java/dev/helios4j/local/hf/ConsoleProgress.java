package dev.helios4j.local.hf;

import dev.helios4j.internal.TerminalLine;
import dev.helios4j.internal.Throttle;
import java.time.Duration;

/** The bar behind {@link DownloadListener#console()}: one line, redrawn at most every quarter second. */
final class ConsoleProgress implements DownloadListener {
    private static final int WIDTH = 24;

    private final Throttle throttle = Throttle.every(Duration.ofMillis(250));
    private final TerminalLine line = new TerminalLine();
    private boolean finished;

    @Override
    public synchronized void onProgress(DownloadProgress progress) {
        boolean done = progress.done();
        if (finished || !(done || throttle.tryPass())) {
            return;
        }
        finished = done;
        StringBuilder text = new StringBuilder();
        progress.fraction().ifPresent(f -> {
            int filled = (int) Math.round(f * WIDTH);
            text.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
        });
        line.draw(text.append(progress).toString());
        if (done) {
            line.end();
        }
    }

    @Override
    public synchronized void onMessage(String message) {
        line.message(message);
    }
}
