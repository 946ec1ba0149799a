package dev.helios4j.local.hf;

import java.io.PrintStream;

/** The bar behind {@link DownloadListener#console()}: one line, at most every quarter second. */
final class ConsoleProgress implements DownloadListener {
    private static final long MIN_INTERVAL_NANOS = 250_000_000L;
    private static final int WIDTH = 24;

    private long lastPrint = Long.MIN_VALUE;
    private boolean finished;

    @Override
    public synchronized void onProgress(DownloadProgress progress) {
        long now = System.nanoTime();
        boolean done = progress.done();
        if (finished || (!done && lastPrint != Long.MIN_VALUE && now - lastPrint < MIN_INTERVAL_NANOS)) {
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
        PrintStream out = System.out;
        out.print(line);
        if (done) {
            out.println();
        }
        out.flush();
    }

    @Override
    public void onMessage(String line) {
        PrintStream out = System.out;
        out.println(line);
        out.flush();
    }
}
