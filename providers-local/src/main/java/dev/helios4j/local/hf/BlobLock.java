package dev.helios4j.local.hf;

import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Semaphore;

/**
 * The lock on {@code .locks/models--ORG--REPO/ETAG.lock} that keeps two downloads of one blob
 * apart, across JVMs (an OS file lock) and within one (a Java lock).
 *
 * <p>POSIX locks belong to the process, and closing any channel of a file drops every lock the
 * process holds on it. So this JVM opens one channel per lock file and keeps it while anyone
 * uses it (a reference-counted registry, the one piece of static state here, as the OS lock is
 * per process by nature); threads of this JVM queue on a Java semaphore, and only the thread that holds
 * it takes the OS lock. A thread that gives up waiting never closes a channel another thread's
 * lock depends on. Waiting honours the deadline and interrupts.
 */
final class BlobLock implements AutoCloseable {
    private static final long POLL_MILLIS = 100;
    private static final Map<Path, Shared> SHARED = new HashMap<>();

    /** One lock file's channel and in-JVM queue, with how many threads use them. */
    private static final class Shared {
        final Path file;
        final FileChannel channel;
        final Semaphore inJvm = new Semaphore(1);
        int users;

        Shared(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }
    }

    private final Shared shared;
    private final FileLock osLock;
    private boolean closed;

    private BlobLock(Shared shared, FileLock osLock) {
        this.shared = shared;
        this.osLock = osLock;
    }

    /**
     * @param onWait called once if another download holds the lock, so the user knows why nothing moves
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws LlmTimeoutException if the deadline passes while another download holds the lock
     */
    static BlobLock acquire(Path lockFile, long deadlineNanos, Runnable onWait) throws InterruptedException {
        Shared shared = join(lockFile);
        boolean told = false;
        boolean inJvm = false;
        try {
            if (!shared.inJvm.tryAcquire()) {
                onWait.run();
                told = true;
                long left = deadlineNanos - System.nanoTime();
                if (!shared.inJvm.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    throw busy(lockFile);
                }
            }
            inJvm = true;
            while (true) {
                FileLock lock;
                try {
                    lock = shared.channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    // Cannot happen while we hold the Java lock; treat it as held elsewhere all the same.
                    lock = null;
                } catch (IOException e) {
                    throw new LlmException("Could not lock " + lockFile + ": " + e.getMessage(), e);
                }
                if (lock != null) {
                    return new BlobLock(shared, lock);
                }
                if (!told) {
                    onWait.run();
                    told = true;
                }
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw busy(lockFile);
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (RuntimeException | InterruptedException e) {
            if (inJvm) {
                shared.inJvm.release();
            }
            leave(shared);
            throw e;
        }
    }

    /** @return how many threads of this JVM use the lock file's channel now; for tests */
    static int users(Path lockFile) {
        synchronized (SHARED) {
            Shared s = SHARED.get(key(lockFile));
            return s == null ? 0 : s.users;
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            osLock.release();
        } catch (IOException ignored) {
            // The channel is closed with its last user, which releases it for good.
        } finally {
            shared.inJvm.release();
            leave(shared);
        }
    }

    private static LlmTimeoutException busy(Path lockFile) {
        return new LlmTimeoutException("Another download of the same file still holds " + lockFile
                + ". Wait for it to finish, or delete the lock file if no download is running.", null, null);
    }

    private static Shared join(Path lockFile) {
        Path key;
        try {
            Files.createDirectories(lockFile.getParent());
            try {
                Files.createFile(lockFile);
            } catch (FileAlreadyExistsException ignored) {
                // Another download made it; it is shared.
            }
            key = lockFile.toRealPath();
        } catch (IOException e) {
            throw cannotCreate(lockFile, e);
        }
        synchronized (SHARED) {
            Shared shared = SHARED.get(key);
            if (shared == null) {
                try {
                    shared = new Shared(key, FileChannel.open(key, StandardOpenOption.WRITE));
                } catch (IOException e) {
                    throw cannotCreate(lockFile, e);
                }
                SHARED.put(key, shared);
            }
            shared.users++;
            return shared;
        }
    }

    private static void leave(Shared shared) {
        synchronized (SHARED) {
            if (--shared.users == 0) {
                SHARED.remove(shared.file);
                try {
                    // No thread of this JVM holds or waits for the lock any more, so closing drops nothing.
                    shared.channel.close();
                } catch (IOException ignored) {
                    // Nothing left to release.
                }
            }
        }
    }

    private static Path key(Path lockFile) {
        try {
            return lockFile.toRealPath();
        } catch (IOException e) {
            return lockFile.toAbsolutePath().normalize();
        }
    }

    private static LlmException cannotCreate(Path lockFile, IOException e) {
        return new LlmException("Could not create the lock file " + lockFile + ": " + e.getMessage()
                + ". Check that the Hugging Face cache folder can be written.", e);
    }
}
