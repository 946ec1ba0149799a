package dev.helios4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TerminalLineTest {
    @Test
    void aShorterLineCoversTheLongerOneAndMessagesGoOnLinesOfTheirOwn() {
        String printed = capture(() -> {
            TerminalLine line = new TerminalLine();
            line.draw("downloading 10%");
            line.draw("at 20%");
            line.message("Connection lost; resuming.");
            line.draw("at 30%");
            line.end();
            line.end(); // nothing open: nothing printed
        });
        assertEquals("\rdownloading 10%\rat 20%         \nConnection lost; resuming.\n\rat 30%\n", printed);
    }

    @Test
    void aMessageWithNoLineOpenDoesNotLeaveAnEmptyLine() {
        assertEquals("hello\n", capture(() -> new TerminalLine().message("hello")));
    }

    // The test swaps System.out to read what was printed; product code never does.
    private static String capture(Runnable action) {
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
