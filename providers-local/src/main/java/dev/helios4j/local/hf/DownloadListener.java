package dev.helios4j.local.hf;

import dev.helios4j.ProgressListener;

/**
 * Receives the progress of a download. Called on the thread that asked for the download (the
 * built-in downloader) or on the thread that reads the CLI's output; calls for one download never
 * overlap. A listener that throws does not stop the download: the exception is ignored.
 *
 * <p>One method to implement, so a lambda does: {@code p -> System.out.println(p)}.
 */
@FunctionalInterface
public interface DownloadListener {

    /** A new count of bytes. Calls are throttled to a few per second, and the last one is always sent. */
    void onProgress(DownloadProgress progress);

    /** A line of text from the downloader that is not a progress bar, such as a warning from the CLI. */
    default void onMessage(String line) {
    }

    /**
     * Reports to a general progress listener, such as a notebook's progress bar:
     * {@code models.resolve(spec, DownloadListener.of(Notebook.progress()))}.
     *
     * @param listener receives bytes done, the total (-1 when unknown) and the file's name
     * @return a download listener
     */
    static DownloadListener of(ProgressListener listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        return p -> listener.onProgress(p.bytesDone(), p.totalBytes(), p.ref().file());
    }

    /** @return a listener that ignores everything */
    static DownloadListener none() {
        return progress -> { };
    }

    /**
     * A one-line progress bar on {@link System#out}, redrawn in place with a carriage return (as
     * a terminal, JShell and Jupyter all render it) and ended with a newline when the file is
     * complete. Looks {@code System.out} up on every call, since notebook kernels swap it per cell.
     */
    static DownloadListener console() {
        return new ConsoleProgress();
    }
}
