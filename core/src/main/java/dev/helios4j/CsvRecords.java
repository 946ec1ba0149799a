package dev.helios4j;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads CSV records one at a time (RFC 4180: comma-separated, fields in double quotes may hold
 * commas, quotes doubled and line breaks; {@code \n}, {@code \r\n} or {@code \r} end a record),
 * so a file of a million rows is never held.
 */
final class CsvRecords {
    private final Reader in;
    private int pushedBack = -2;
    private long line = 1;

    CsvRecords(Reader in) {
        this.in = in;
    }

    /** @return the line the next record starts on, for messages */
    long line() {
        return line;
    }

    /** @return the next record's fields, or null at the end of the input */
    List<String> next() throws IOException {
        int c = read();
        while (c == '\n' || c == '\r') { // blank lines are no records
            c = read();
        }
        if (c < 0) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        long startLine = line;
        while (true) {
            if (c == '"' && field.length() == 0) {
                while (true) {
                    c = read();
                    if (c < 0) {
                        throw new IOException("a quoted field that starts on line " + startLine + " is not closed");
                    }
                    if (c == '"') {
                        c = read();
                        if (c != '"') {
                            break;
                        }
                    }
                    field.append((char) c);
                }
                // after the closing quote: a separator, a line end or the end
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                c = read();
                continue;
            }
            if (c < 0 || c == '\n' || c == '\r') {
                if (c == '\r') {
                    int d = read();
                    if (d != '\n') {
                        unread(d);
                    }
                }
                fields.add(field.toString());
                return fields;
            }
            field.append((char) c);
            c = read();
        }
    }

    private int read() throws IOException {
        int c;
        if (pushedBack != -2) {
            c = pushedBack;
            pushedBack = -2;
        } else {
            c = in.read();
        }
        if (c == '\n') {
            line++;
        }
        return c;
    }

    private void unread(int c) {
        if (c == '\n') {
            line--;
        }
        pushedBack = c;
    }
}
