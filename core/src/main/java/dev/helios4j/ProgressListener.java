package dev.helios4j;

/**
 * Hears how far a long transfer, such as a model download, has come: the one shape that
 * downloaders report in and progress bars draw from. No core method takes one: it lives here
 * because core is the only module both sides see. The local provider's downloads report in it
 * ({@code DownloadListener.of} in providers-local) and the notebooks module's {@code ProgressBar}
 * draws from it, without either module depending on the other. Called as bytes arrive, from
 * whichever thread reads them; calls for one transfer never overlap. Implementations should
 * return quickly.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * Reports the bytes transferred so far.
     *
     * @param bytesDone bytes transferred so far, 0 or more
     * @param bytesTotal the size when known, or -1
     * @param label what is transferred, such as a file name; never null
     */
    void onProgress(long bytesDone, long bytesTotal, String label);
}
