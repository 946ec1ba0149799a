package dev.helios4j.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helios4j.testkit.Stdout;
import org.junit.jupiter.api.Test;

class TerminalLineTest {
    @Test
    void aShorterLineCoversTheLongerOneAndMessagesGoOnLinesOfTheirOwn() {
        String printed = Stdout.capture(() -> {
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
        assertEquals("hello\n", Stdout.capture(() -> new TerminalLine().message("hello")));
    }
}
