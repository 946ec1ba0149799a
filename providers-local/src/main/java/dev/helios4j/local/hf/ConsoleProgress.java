package dev.helios4j.local.hf;

import java.io.PrintStream;

/** The bar behind {@link DownloadListener#console()}: one line, redrawn at most every quarter second. */
final class ConsoleProgress implements DownloadListener {
    private static final long MIN_INTERVAL_NANOS = 250_000_000L;
    private static final int WIDTH = 24;

    private long lastPrint;
    private boolean drawn;
    private boolean finished;

    @Override
    public synchronized void onProgress(DownloadProgress progress) {
        long now = System.nanoTime();
        boolean done = progress.done();
        if (finished || (!done && drawn && now - lastPrint < MIN_INTERVAL_NANOS)) {
            return;
        }
        lastPrint = now;
        finished = done;
        StringBuilder line = new StringBuilder("\r");
        progress.fraction().ifPresent(f -> {
            int filled = (int) Math.round(f * WIDTH);
            line.append('[').append("#".repeat(filled)).append(" ".repeat(WIDTH - filled)).append("] ");
        });
        line.append(progress);
        // Looked up per call: notebook kernels replace System.out for every cell.
        PrintStream out = System.out;
        out.print(line);
        drawn = !done;
        if (done) {
            out.println();
        }
        out.flush();
    }

    @Override
    public synchronized void onMessage(String message) {
        PrintStream out = System.out;
        if (drawn) {
            // Leave the bar's line intact; the next update redraws it below the message.
            out.println();
            drawn = false;
        }
        out.println(message);
        out.flush();
    }
}
