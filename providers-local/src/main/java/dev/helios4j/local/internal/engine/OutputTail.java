package dev.helios4j.local.internal.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.commons.exec.ExecuteStreamHandler;

/**
 * Commons Exec's view of an engine's streams: keeps the child's stdin open (closing it is how the
 * child learns that its parent is gone), and keeps the last lines of stdout and stderr for error
 * messages, such as llama.cpp's {@code GGML_ASSERT} text. Reader threads are daemons.
 */
final class OutputTail implements ExecuteStreamHandler {
    private static final int MAX_LINE = 500;
    private static final long JOIN_MILLIS = 2000;

    private final int maxLines;
    private final UnaryOperator<String> redact;
    private final Deque<String> lines = new ArrayDeque<>();
    private final String threadName;
    private volatile OutputStream stdin;
    private InputStream stdout;
    private InputStream stderr;
    private Thread outReader;
    private Thread errReader;

    OutputTail(int maxLines, UnaryOperator<String> redact, String threadName) {
        this.maxLines = maxLines;
        this.redact = redact;
        this.threadName = threadName;
    }

    @Override
    public void setProcessInputStream(OutputStream os) {
        stdin = os; // held open, never written: its end of file is the parent's death
    }

    @Override
    public void setProcessOutputStream(InputStream is) {
        stdout = is;
    }

    @Override
    public void setProcessErrorStream(InputStream is) {
        stderr = is;
    }

    @Override
    public void start() {
        outReader = reader(stdout, threadName + "-out");
        errReader = reader(stderr, threadName + "-err");
    }

    /** Called by Commons Exec once the child exited: lets the readers take the last lines. */
    @Override
    public void stop() {
        join(outReader);
        join(errReader);
    }

    void closeStdin() {
        OutputStream in = stdin;
        if (in != null) {
            try {
                in.close();
            } catch (IOException e) {
                // the child is gone already
            }
        }
    }

    /** @return the last lines, oldest first */
    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** @return the last lines as a block to append to a message, or "" */
    String excerpt() {
        List<String> last = lines();
        return last.isEmpty() ? "" : "\nIts last output:\n" + String.join("\n", last);
    }

    private Thread reader(InputStream in, String name) {
        if (in == null) {
            return null;
        }
        Thread t = new Thread(() -> read(in), name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                add(line);
            }
        } catch (IOException e) {
            // the pipe closed: the child is gone
        }
    }

    private void add(String raw) {
        String line = redact.apply(raw.strip());
        if (line.isEmpty()) {
            return;
        }
        if (line.length() > MAX_LINE) {
            line = line.substring(0, MAX_LINE) + "...";
        }
        synchronized (lines) {
            lines.addLast(line);
            while (lines.size() > maxLines) {
                lines.removeFirst();
            }
        }
    }

    private static void join(Thread t) {
        if (t == null) {
            return;
        }
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
