package dev.helios4j.local.hf;

import java.util.function.UnaryOperator;

/**
 * Wraps a user's listener: throttles progress to a few calls a second (always passing the first
 * and the last), removes a secret from messages, and keeps a throwing listener from breaking a
 * download, as {@link DownloadListener} promises.
 */
final class SafeListener implements DownloadListener {
    private static final long MIN_INTERVAL_NANOS = 200_000_000L;

    private final DownloadListener delegate;
    private final UnaryOperator<String> redact;
    private long lastSent;
    private boolean sentAny;

    SafeListener(DownloadListener delegate, UnaryOperator<String> redact) {
        this.delegate = delegate == null ? DownloadListener.none() : delegate;
        this.redact = redact;
    }

    @Override
    public synchronized void onProgress(DownloadProgress progress) {
        long now = System.nanoTime();
        if (sentAny && !progress.done() && now - lastSent < MIN_INTERVAL_NANOS) {
            return;
        }
        sentAny = true;
        lastSent = now;
        try {
            delegate.onProgress(progress);
        } catch (RuntimeException ignored) {
            // A broken progress bar must not cost the user a multi-gigabyte download.
        }
    }

    @Override
    public synchronized void onMessage(String line) {
        try {
            delegate.onMessage(redact.apply(line));
        } catch (RuntimeException ignored) {
            // As above.
        }
    }
}
