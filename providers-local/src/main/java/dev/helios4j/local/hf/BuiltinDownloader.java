package dev.helios4j.local.hf;

import dev.helios4j.LlmException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The Java downloader used when no CLI is installed. It writes exactly what huggingface_hub
 * writes, so every other tool reuses the file: {@code refs/REVISION} with the commit,
 * {@code blobs/ETAG} with the content, and {@code snapshots/COMMIT/FILE} linking to it. A blob
 * another revision already brought is linked, not fetched again; a blob another process is
 * fetching is waited for, not fetched twice.
 */
final class BuiltinDownloader {
    private final HfCache cache;
    private final HubClient client;
    private final BlobFetcher fetcher;

    BuiltinDownloader(HfCache cache, HfEnvironment env, Optional<String> token, Duration idle) {
        this.cache = cache;
        this.client = new HubClient(env.endpoint(), token, idle);
        this.fetcher = new BlobFetcher(client, idle);
    }

    Path download(HfModelRef ref, Duration timeout, SafeListener listener) {
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), Long.MAX_VALUE / 4);
        try {
            HubFileInfo info = client.metadata(ref);
            cache.writeRef(ref, info.commit());
            Path pointer = cache.snapshotPath(ref, info.commit());
            if (Files.isRegularFile(pointer)) {
                return pointer;
            }
            Path blob = cache.blobPath(ref, info.etag());
            if (!Files.isRegularFile(blob)) {
                try (BlobLock lock = BlobLock.acquire(cache.lockPath(ref, info.etag()), deadline,
                        () -> listener.onMessage("Waiting for another download of " + ref.file() + " to finish."))) {
                    // Whoever held the lock may have finished the very blob we want.
                    if (!Files.isRegularFile(blob)) {
                        fetcher.fetch(ref, info, cache.incompletePath(ref, info.etag()), blob, deadline, listener);
                    }
                }
            }
            listener.onProgress(new DownloadProgress(ref, Files.size(blob), Files.size(blob)));
            return cache.link(ref, info.commit(), info.etag());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlmException("Download of " + ref + " cancelled: the thread was interrupted.", e);
        } catch (IOException e) {
            throw new LlmException("Could not write " + ref + " into the Hugging Face cache at " + cache.root() + ": "
                    + e.getMessage() + ". Check the folder's permissions and free space.", e);
        }
    }
}
