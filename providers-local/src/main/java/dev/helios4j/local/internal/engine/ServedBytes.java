package dev.helios4j.local.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer that writes JSON string contents as UTF-8 directly, reused for every
 * token of a stream: a streamed piece costs one escape pass and no objects beyond the piece itself.
 */
final class ServedBytes {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private byte[] bytes;
    private int size;

    ServedBytes(int capacity) {
        bytes = new byte[capacity];
    }

    void reset() {
        size = 0;
    }

    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, size);
    }

    ServedBytes append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /** Appends the text as the inside of a JSON string: escaped, UTF-8, without quotes. */
    ServedBytes appendEscaped(String s) {
        ensure(s.length() * 6);
        byte[] b = bytes;
        int n = size;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                b[n++] = (byte) c;
            } else if (c == '"' || c == '\\') {
                b[n++] = '\\';
                b[n++] = (byte) c;
            } else if (c == '\n') {
                b[n++] = '\\';
                b[n++] = 'n';
            } else if (c == '\r') {
                b[n++] = '\\';
                b[n++] = 'r';
            } else if (c == '\t') {
                b[n++] = '\\';
                b[n++] = 't';
            } else if (c < 0x20) {
                b[n++] = '\\';
                b[n++] = 'u';
                b[n++] = '0';
                b[n++] = '0';
                b[n++] = HEX[c >> 4];
                b[n++] = HEX[c & 0xF];
            } else if (c < 0x800) {
                b[n++] = (byte) (0xC0 | c >> 6);
                b[n++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                b[n++] = (byte) (0xF0 | cp >> 18);
                b[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate cannot be UTF-8: the replacement character, as String.getBytes does.
                b[n++] = (byte) 0xEF;
                b[n++] = (byte) 0xBF;
                b[n++] = (byte) 0xBD;
            } else {
                b[n++] = (byte) (0xE0 | c >> 12);
                b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[n++] = (byte) (0x80 | c & 0x3F);
            }
        }
        size = n;
        return this;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
