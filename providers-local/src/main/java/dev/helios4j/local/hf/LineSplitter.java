package dev.helios4j.local.hf;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An output stream that hands over each line as it is completed. Both {@code \n} and {@code \r}
 * end a line, because progress bars redraw themselves with a bare carriage return; bytes are
 * decoded per line, so a UTF-8 character split across two writes arrives whole. A line longer
 * than {@value #MAX_LINE} bytes is cut there and the rest of it dropped, so a process that
 * writes without end costs a bounded amount of memory.
 */
final class LineSplitter extends OutputStream {
    static final int MAX_LINE = 16 * 1024;

    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSplitter(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                keep(bytes, start, i - start);
                emit();
                start = i + 1;
            }
        }
        keep(bytes, start, end - start);
    }

    @Override
    public synchronized void close() {
        emit();
    }

    private void keep(byte[] bytes, int off, int len) {
        int room = MAX_LINE - line.size();
        if (room > 0 && len > 0) {
            line.write(bytes, off, Math.min(room, len));
        }
    }

    private void emit() {
        if (line.size() > 0) {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            sink.accept(text);
        }
    }
}
