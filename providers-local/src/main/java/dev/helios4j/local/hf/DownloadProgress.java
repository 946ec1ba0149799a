package dev.helios4j.local.hf;

import dev.helios4j.internal.Format;
import java.util.OptionalDouble;

/**
 * How far one file's download has come. From the built-in downloader the counts are exact; from
 * the {@code hf} CLI they are read off its progress bar and so rounded the way it prints them.
 *
 * @param ref the file being downloaded
 * @param bytesDone bytes on disk so far, including bytes kept from an earlier, interrupted try
 * @param totalBytes the file's size, or -1 when not known
 */
public record DownloadProgress(HfModelRef ref, long bytesDone, long totalBytes) {

    /** @return the fraction done, in [0, 1], when the size is known */
    public OptionalDouble fraction() {
        if (totalBytes <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(Math.min(1.0, Math.max(0.0, (double) bytesDone / totalBytes)));
    }

    /** @return whether every byte has arrived */
    public boolean done() {
        return totalBytes >= 0 && bytesDone >= totalBytes;
    }

    @Override
    public String toString() {
        String sizes = Format.bytes(bytesDone) + (totalBytes >= 0 ? " / " + Format.bytes(totalBytes) : "");
        OptionalDouble f = fraction();
        return ref.file() + "  " + (f.isPresent() ? Math.round(f.getAsDouble() * 100) + "%  " : "") + sizes;
    }
}
