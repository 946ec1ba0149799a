package dev.helios4j.local.hf;

import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock on {@code .locks/models--ORG--REPO/ETAG.lock} that keeps two downloads of one blob
 * apart, across JVMs (an OS file lock) and within one (the JVM refuses a second lock on the same
 * file, which we treat as "held" too). Waiting polls, so the deadline and interrupts are honoured.
 */
final class BlobLock implements AutoCloseable {
    private static final long POLL_MILLIS = 100;

    private final FileChannel channel;
    private final FileLock lock;

    private BlobLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param onWait called once if another download holds the lock, so the user knows why nothing moves
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    static BlobLock acquire(Path lockFile, long deadlineNanos, Runnable onWait) throws InterruptedException {
        FileChannel channel;
        try {
            Files.createDirectories(lockFile.getParent());
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LlmException("Could not create the lock file " + lockFile + ": " + e.getMessage()
                    + ". Check that the Hugging Face cache folder can be written.", e);
        }
        boolean told = false;
        try {
            while (true) {
                FileLock lock = null;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException heldHere) {
                    // Another thread of this JVM is downloading the same blob.
                }
                if (lock != null) {
                    return new BlobLock(channel, lock);
                }
                if (!told) {
                    onWait.run();
                    told = true;
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new LlmTimeoutException("Another download of the same file still holds " + lockFile
                            + ". Wait for it to finish, or delete the lock file if no download is running.", null, null);
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LlmException("Could not lock " + lockFile + ": " + e.getMessage(), e);
        } catch (RuntimeException | InterruptedException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it as well.
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing left to release.
        }
    }
}
