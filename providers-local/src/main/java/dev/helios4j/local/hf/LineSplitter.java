package dev.helios4j.local.hf;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An output stream that hands over each line as it is completed. Both {@code \n} and {@code \r}
 * end a line, because progress bars redraw themselves with a bare carriage return; bytes are
 * decoded per line, so a UTF-8 character split across two writes arrives whole.
 */
final class LineSplitter extends OutputStream {
    private static final int MAX_LINE = 16 * 1024;

    private final Consumer<String> sink;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSplitter(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n' || b == '\r') {
            emit();
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void close() {
        emit();
    }

    private void emit() {
        if (line.size() > 0) {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            sink.accept(text);
        }
    }
}
