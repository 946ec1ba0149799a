package dev.helios4j.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * What code prints on {@code System.out}, for tests of terminal output (progress lines, answers
 * printed without a kernel). Product code never swaps {@code System.out}; it looks it up on every
 * print, which is what lets this work.
 */
public final class Stdout {
    private Stdout() {
    }

    /**
     * @param action the code whose printing is wanted
     * @return what it printed, with the platform's line separators as {@code \n}
     */
    public static String capture(Runnable action) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
