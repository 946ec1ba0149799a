package dev.helios4j;

/**
 * Hears how far a long transfer, such as a model download, has come: the one shape that
 * downloaders report in and progress bars draw from (the notebooks module's {@code ProgressBar}
 * is one). Called as bytes arrive, from whichever thread reads them; calls for one transfer
 * never overlap. Implementations should return quickly.
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
