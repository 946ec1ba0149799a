package dev.helios4j.local.hf;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The last few lines of a process's output, for error messages and for the path the CLI prints
 * last. Bounded in lines, and through {@link LineSplitter} in bytes per line, so a process that
 * floods its output cannot exhaust the heap. Thread-safe: a pump thread adds while the caller reads.
 */
final class LastLines {
    private final int max;
    private final Deque<String> lines = new ArrayDeque<>();

    LastLines(int max) {
        this.max = max;
    }

    synchronized void add(String line) {
        lines.addLast(line);
        while (lines.size() > max) {
            lines.removeFirst();
        }
    }

    synchronized boolean isEmpty() {
        return lines.isEmpty();
    }

    /** @return the kept lines joined with newlines */
    synchronized String text() {
        return String.join("\n", lines);
    }
}
