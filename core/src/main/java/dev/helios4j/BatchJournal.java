package dev.helios4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A batch's journal: one JSON line per settled row ({@code key}, {@code index}, {@code answer} or
 * {@code error}, token counts, attempts, time), appended as each row settles, so a re-run skips
 * the rows already answered and asks the rest (failed rows included).
 *
 * <p>Crash safety: each line goes to the file in one positioned write of the whole line and its
 * line break, under a lock, so after a kill at most the last line is torn. Opening finds a last
 * line without its line break, ignores it (that row is asked again) and cuts it off before the
 * first append, so the file is never left with a torn line in the middle. One run at a time: an
 * exclusive file lock on the one channel held for the run (closing any other channel of the file
 * would drop it). The file is read and written through {@link RandomAccessFile}, whose calls an
 * interrupt does not break: a {@code FileChannel} closes itself when a thread using it is
 * interrupted (the stop button), which would lose the lock and fail every later append. Lines are not forced to disk one by one, which would cost a disk flush per row:
 * a killed process loses nothing, a power cut may lose the last lines written (then asked again).
 *
 * <p>Memory: the offset of each answered row's line is kept, keyed by row key, not its answer;
 * answers are read back from the file when a resumed row is delivered.
 */
final class BatchJournal implements AutoCloseable {
    private final Path file;
    private final RandomAccessFile raf;
    private final FileLock lock;
    /**
     * Journals open in this JVM. Checked before a second channel of the file is opened: closing any
     * channel of a file drops every lock this process holds on it, the first run's included.
     */
    private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();

    private final Map<String, Long> answered = new HashMap<>();
    private final long tornBytes;
    private long end;
    private boolean closed;

    private BatchJournal(Path file, RandomAccessFile raf, FileLock lock) throws IOException {
        this.file = file;
        this.raf = raf;
        this.lock = lock;
        long size = raf.length();
        long goodEnd = scan(size);
        this.tornBytes = size - goodEnd;
        if (tornBytes > 0) {
            raf.setLength(goodEnd);
        }
        this.end = goodEnd;
    }

    static BatchJournal open(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!OPEN.add(absolute)) {
            throw inUse(absolute);
        }
        RandomAccessFile raf = null;
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            raf = new RandomAccessFile(absolute.toFile(), "rw");
            FileLock lock;
            try {
                lock = raf.getChannel().tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw inUse(absolute);
            }
            return new BatchJournal(absolute, raf, lock);
        } catch (IOException e) {
            closeQuietly(raf);
            OPEN.remove(absolute);
            throw new LlmException("Could not open the batch journal " + absolute + ": " + e
                    + ". Check that its directory is writable.", e);
        } catch (RuntimeException e) {
            closeQuietly(raf);
            OPEN.remove(absolute);
            throw e;
        }
    }

    private static InvalidRequestException inUse(Path file) {
        return new InvalidRequestException("The batch journal " + file + " is in use by another run (in this or another "
                + "process). Wait for it to end, or give this run a journal of its own.");
    }

    /** @return where the good lines end; records the answered rows */
    private long scan(long size) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long position = 0;
        long lineStart = 0;
        long lineNumber = 0;
        raf.seek(0);
        while (position < size) {
            int n = raf.read(buffer, 0, (int) Math.min(buffer.length, size - position));
            if (n <= 0) {
                break;
            }
            for (int k = 0; k < n; k++) {
                byte b = buffer[k];
                if (b == '\n') {
                    lineNumber++;
                    record(line.toString(StandardCharsets.UTF_8), lineStart, lineNumber);
                    line.reset();
                    lineStart = position + k + 1;
                } else {
                    line.write(b);
                }
            }
            position += n;
        }
        return lineStart; // anything after the last line break is a torn line
    }

    private void record(String text, long offset, long lineNumber) {
        if (text.isBlank()) {
            return;
        }
        Map<?, ?> entry;
        try {
            entry = (Map<?, ?>) JsonText.parse(text);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new InvalidRequestException("Line " + lineNumber + " of the batch journal " + file + " is not a journal "
                    + "entry (" + e.getMessage() + "). Only its last line can be torn by a crash; this file was changed "
                    + "by something else. Remove that line, or start a new journal.");
        }
        Object key = entry.get("key");
        if (!(key instanceof String)) {
            throw new InvalidRequestException("Line " + lineNumber + " of the batch journal " + file + " has no key. "
                    + "Remove that line, or start a new journal.");
        }
        if (entry.get("answer") instanceof String) {
            answered.put((String) key, offset);
        }
    }

    /** @return whether an earlier run answered the row with this key */
    boolean isAnswered(String key) {
        return answered.containsKey(key);
    }

    /** @return rows answered in earlier runs */
    int answeredCount() {
        return answered.size();
    }

    /** @return bytes of a torn last line that opening cut off; 0 when the file ended cleanly */
    long tornBytes() {
        return tornBytes;
    }

    /** Reads back an answer an earlier run wrote, for a row of this run. */
    synchronized BatchResult read(BatchRow row) {
        long offset = answered.get(row.key());
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            raf.seek(offset);
            outer:
            while (true) {
                int n = raf.read(buffer);
                if (n <= 0) {
                    break;
                }
                for (int k = 0; k < n; k++) {
                    if (buffer[k] == '\n') {
                        break outer;
                    }
                    line.write(buffer[k]);
                }
            }
            Map<?, ?> entry = (Map<?, ?>) JsonText.parse(line.toString(StandardCharsets.UTF_8));
            Usage usage = usage(entry.get("prompt_tokens"), entry.get("completion_tokens"));
            return new BatchResult(row.index(), row.key(), (String) entry.get("answer"), usage, null, 0, true);
        } catch (IOException | RuntimeException e) {
            throw new LlmException("Could not read back row " + row.key() + " from the batch journal " + file + ": " + e,
                    e);
        }
    }

    private static Usage usage(Object prompt, Object completion) {
        if (prompt instanceof Long p && completion instanceof Long c && p >= 0 && c >= 0) {
            return Usage.of(p.intValue(), c.intValue());
        }
        return Usage.UNKNOWN;
    }

    /** Appends one settled row as one whole line. Thread-safe. */
    synchronized void append(BatchResult result) {
        if (closed) {
            return; // a call that ended after the run did: not journaled, so asked again next time
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("key", result.key());
        entry.put("index", result.index());
        if (result.ok()) {
            entry.put("answer", result.answer());
        } else {
            entry.put("error", result.error());
        }
        if (result.usage().isKnown()) {
            entry.put("prompt_tokens", (long) result.usage().promptTokens());
            entry.put("completion_tokens", (long) result.usage().completionTokens());
        }
        entry.put("attempts", (long) result.attempts());
        entry.put("at", Instant.now().toString());
        byte[] bytes = JsonText.write(new StringBuilder(), entry).append('\n').toString()
                .getBytes(StandardCharsets.UTF_8);
        try {
            raf.seek(end);
            raf.write(bytes);
            end += bytes.length;
        } catch (IOException e) {
            throw new LlmException("Could not write to the batch journal " + file + ": " + e
                    + ". Free some disk space and run again: rows already written are kept.", e);
        }
    }

    /** Flushes to disk and releases the lock. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            raf.getFD().sync();
        } catch (IOException e) {
            // the lines are with the OS; a flush failure here loses nothing a kill would not
        }
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(raf);
        OPEN.remove(file);
    }

    private static void closeQuietly(RandomAccessFile raf) {
        if (raf != null) {
            try {
                raf.close();
            } catch (IOException e) {
                // nothing more to do
            }
        }
    }
}
