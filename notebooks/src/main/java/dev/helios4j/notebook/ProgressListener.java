package dev.helios4j.notebook;

/**
 * Hears how far a long transfer (a model download) has come. The downloader calls it as bytes
 * arrive, from whichever thread reads them; {@link ProgressBar} draws it.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param bytesDone bytes transferred so far, 0 or more
     * @param bytesTotal the size when known, or -1
     * @param label what is transferred, such as a file name; never null
     */
    void onProgress(long bytesDone, long bytesTotal, String label);
}
