package dev.helios4j.remote;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a server-sent event stream: bytes go in, events come out. Knows nothing of HTTP, so it is
 * tested with plain strings (as okhttp's {@code ServerSentEventReader} is).
 *
 * <p>Follows the WHATWG "event stream interpretation" rules: lines end with {@code \n}, {@code \r}
 * or {@code \r\n} (a {@code \r} at the end of one read and its {@code \n} at the start of the next
 * are one line end); several {@code data:} lines join with {@code \n}; lines starting with
 * {@code :} are comments; {@code event:} and {@code id:} are kept; a blank line dispatches; an
 * event left incomplete when the stream ends is discarded; one UTF-8 byte order mark at the very
 * start is skipped.
 *
 * <p>A line and an event are held whole until they end, so each has a limit: a server that sends
 * one endless line or endless {@code data:} lines fails with {@link TooLarge} instead of filling
 * the heap.
 *
 * <p>Data stays bytes until the handler decodes it: a UTF-8 character split across two reads is
 * never decoded in halves, and the JSON parser reads the bytes directly without a String per
 * chunk. Not thread-safe: one reader per stream.
 */
final class SseReader {
    /** Receives each complete event. */
    interface Handler {
        /**
         * @param type the {@code event:} field, or {@code "message"} when the event had none
         * @param data the joined {@code data:} lines as UTF-8; only valid during this call
         * @param length the number of bytes of {@code data} that belong to this event
         */
        void onEvent(String type, byte[] data, int length) throws IOException;
    }

    /** A line or an event grew past its limit; the stream cannot be read on. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        /** True for a line, false for an event. */
        final boolean line;
        final int limit;

        TooLarge(boolean line, int limit) {
            super((line ? "a line" : "an event") + " longer than " + limit + " bytes");
            this.line = line;
            this.limit = limit;
        }
    }

    static final String DEFAULT_TYPE = "message";
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte[] DATA = bytes("data");
    private static final byte[] EVENT = bytes("event");
    private static final byte[] ID = bytes("id");
    private static final byte[] NEWLINE = {LF};
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final Handler handler;
    /** The start of a line whose end has not arrived yet. */
    private byte[] line = new byte[256];
    private int lineLength;
    private byte[] data = new byte[1024];
    private int dataLength;
    private boolean hasData;
    private String eventType;
    private String lastEventId = "";
    /** The previous read ended with CR: an LF at the start of the next read ends nothing new. */
    private boolean skipLineFeed;
    private byte[] scratch;
    private final int maxLine;
    private final int maxEvent;
    /** How many bytes of a leading byte order mark were seen; -1 once the start is past. */
    private int bomSeen;

    SseReader(Handler handler) {
        this(handler, Limits.DEFAULT.line(), Limits.DEFAULT.event());
    }

    /**
     * @param maxLine the longest line accepted, in bytes
     * @param maxEvent the largest event accepted (its data lines joined), in bytes
     */
    SseReader(Handler handler, int maxLine, int maxEvent) {
        this.handler = handler;
        this.maxLine = maxLine;
        this.maxEvent = maxEvent;
    }

    /** Feeds the buffer's remaining bytes; the buffer's position is left unchanged. */
    void feed(ByteBuffer buffer) throws IOException {
        if (buffer.hasArray()) {
            feed(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
            return;
        }
        int n = buffer.remaining();
        if (scratch == null || scratch.length < n) {
            // The JDK hands read-only buffers (no array), so bytes are copied; short answers arrive in
            // small reads, and a fixed 8 KB here was most of what one short call allocated.
            scratch = new byte[Math.max(n, scratch == null ? 512 : scratch.length * 2)];
        }
        buffer.duplicate().get(scratch, 0, n);
        feed(scratch, 0, n);
    }

    /** Feeds bytes as they arrived; any split, even inside a UTF-8 character, is fine. */
    void feed(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        int i = offset;
        if (bomSeen >= 0) {
            i = skipByteOrderMark(bytes, i, end);
        }
        if (skipLineFeed && i < end) {
            skipLineFeed = false;
            if (bytes[i] == LF) {
                i++;
            }
        }
        while (i < end) {
            int eol = lineEnd(bytes, i, end);
            if (eol < 0) {
                appendToLine(bytes, i, end - i);
                return;
            }
            if (lineLength == 0) {
                checkLine(eol - i);
                processLine(bytes, i, eol - i);
            } else {
                appendToLine(bytes, i, eol - i);
                int whole = lineLength;
                lineLength = 0; // reset first: processLine may throw, and the line is consumed anyway
                processLine(line, 0, whole);
            }
            if (bytes[eol] == CR) {
                if (eol + 1 < end) {
                    i = bytes[eol + 1] == LF ? eol + 2 : eol + 1;
                } else {
                    skipLineFeed = true;
                    i = end;
                }
            } else {
                i = eol + 1;
            }
        }
    }

    /** Bytes held for an event or line not yet complete; 0 when everything fed was consumed. */
    int bufferedBytes() {
        return lineLength + dataLength + (hasData ? 1 : 0);
    }

    /** @return the last {@code id:} seen, or "" */
    String lastEventId() {
        return lastEventId;
    }

    /**
     * The WHATWG rule: one byte order mark at the start of the stream is not part of the first
     * line (else "\uFEFFdata" is an unknown field and the first event is lost). It may arrive split.
     */
    private int skipByteOrderMark(byte[] bytes, int i, int end) throws TooLarge {
        while (i < end && bomSeen >= 0) {
            if (bytes[i] != BOM[bomSeen]) {
                int matched = bomSeen;
                bomSeen = -1;
                appendToLine(BOM, 0, matched); // not a mark after all: those bytes start the first line
                return i;
            }
            i++;
            bomSeen = bomSeen == 2 ? -1 : bomSeen + 1;
        }
        return i;
    }

    private void checkLine(long length) throws TooLarge {
        if (length > maxLine) {
            throw new TooLarge(true, maxLine);
        }
    }

    private void appendToLine(byte[] bytes, int offset, int length) throws TooLarge {
        checkLine((long) lineLength + length);
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.min(maxLine, Math.max(line.length * 2, lineLength + length)));
        }
        System.arraycopy(bytes, offset, line, lineLength, length);
        lineLength += length;
    }

    private static int lineEnd(byte[] bytes, int from, int end) {
        for (int i = from; i < end; i++) {
            byte b = bytes[i];
            if (b == LF || b == CR) {
                return i;
            }
        }
        return -1;
    }

    private void processLine(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            dispatch();
            return;
        }
        if (bytes[offset] == ':') {
            return; // a comment, such as ": keep-alive"
        }
        int colon = -1;
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] == ':') {
                colon = i;
                break;
            }
        }
        int fieldLength = colon < 0 ? length : colon - offset;
        int valueStart = colon < 0 ? offset + length : colon + 1;
        if (valueStart < offset + length && bytes[valueStart] == ' ') {
            valueStart++;
        }
        int valueLength = offset + length - valueStart;
        if (is(bytes, offset, fieldLength, DATA)) {
            if (hasData) {
                appendToData(NEWLINE, 0, 1);
            }
            appendToData(bytes, valueStart, valueLength);
            hasData = true;
        } else if (is(bytes, offset, fieldLength, EVENT)) {
            eventType = new String(bytes, valueStart, valueLength, StandardCharsets.UTF_8);
        } else if (is(bytes, offset, fieldLength, ID)) {
            String id = new String(bytes, valueStart, valueLength, StandardCharsets.UTF_8);
            if (id.indexOf('\0') < 0) {
                lastEventId = id;
            }
        }
        // "retry:" and unknown fields are ignored, as the specification says
    }

    private void dispatch() throws IOException {
        if (!hasData) {
            eventType = null;
            return;
        }
        String type = eventType == null || eventType.isEmpty() ? DEFAULT_TYPE : eventType;
        int length = dataLength;
        dataLength = 0;
        hasData = false;
        eventType = null;
        handler.onEvent(type, data, length);
    }

    private void appendToData(byte[] bytes, int offset, int length) throws TooLarge {
        if ((long) dataLength + length > maxEvent) {
            throw new TooLarge(false, maxEvent);
        }
        if (dataLength + length > data.length) {
            data = Arrays.copyOf(data, Math.min(maxEvent, Math.max(data.length * 2, dataLength + length)));
        }
        System.arraycopy(bytes, offset, data, dataLength, length);
        dataLength += length;
    }

    private static boolean is(byte[] bytes, int offset, int length, byte[] name) {
        return length == name.length && Arrays.equals(bytes, offset, offset + length, name, 0, length);
    }

    private static byte[] bytes(String ascii) {
        return ascii.getBytes(StandardCharsets.US_ASCII);
    }
}
