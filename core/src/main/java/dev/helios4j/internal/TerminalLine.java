package dev.helios4j.internal;

import java.io.PrintStream;

/**
 * One line of a terminal redrawn in place with {@code \r}: the progress lines of downloads,
 * batches and notebook bars outside a notebook. A shorter line is padded over the longer one
 * before it; messages print on lines of their own without breaking the bar, which the next draw
 * starts again below them. {@code System.out} is looked up on every call, since notebook kernels
 * replace it for each cell. Not thread-safe: callers hold their own lock. Not API: the packages
 * named {@code internal} may change in any release.
 */
public final class TerminalLine {
    private int lastLength;
    private boolean open;

    /** @param line the whole line, without line breaks; replaces the one drawn before */
    public void draw(String line) {
        PrintStream out = System.out;
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
        open = true;
    }

    /** Ends the line drawn last, so what follows starts on a line of its own. Does nothing if none is open. */
    public void end() {
        if (open) {
            PrintStream out = System.out;
            out.println();
            out.flush();
            open = false;
            lastLength = 0;
        }
    }

    /** @param text a message for a line of its own, printed below the line drawn last */
    public void message(String text) {
        end();
        PrintStream out = System.out;
        out.println(text);
        out.flush();
    }
}
