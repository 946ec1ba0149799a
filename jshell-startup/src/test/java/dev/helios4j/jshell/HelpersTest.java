package dev.helios4j.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.LlmClient;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The helpers in this JVM, with Acme found through the context class loader as JShell's would be. */
class HelpersTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Flushes out = new Flushes();
    private PrintStream savedOut;
    private PrintStream savedErr;
    private ClassLoader savedLoader;
    private URLClassLoader acme;

    @BeforeEach
    void setUp() throws Exception {
        savedOut = System.out;
        savedErr = System.err;
        savedLoader = Thread.currentThread().getContextClassLoader();
        acme = new URLClassLoader(new URL[] {AcmeJar.get().toUri().toURL()}, savedLoader);
        Thread.currentThread().setContextClassLoader(acme);
        System.setOut(new PrintStream(out, false, StandardCharsets.UTF_8)); // no autoflush: the helpers must flush
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (Helpers.llm != null) {
            Helpers.llm.close();
        }
        Helpers.llm = null;
        Helpers.conv = null;
        System.setOut(savedOut);
        System.setErr(savedErr);
        Thread.currentThread().setContextClassLoader(savedLoader);
        acme.close();
    }

    @Test
    void askFlushesEveryPieceAsItArrivesAndEndsTheLine() {
        Helpers.use("acme:test");
        int before = out.flushed.size();
        Helpers.ask("Hello");
        List<String> seen = out.flushed.subList(before, out.flushed.size());
        // Acme answers word by word: "Hello!", " You", " said:", " Hello"; each is visible before the next.
        assertTrue(seen.size() >= 4, "flushes while streaming: " + seen);
        assertTrue(seen.get(0).endsWith("Hello!"), seen.toString());
        assertTrue(out.text().endsWith(AcmeJar.HELLO_ANSWER + System.lineSeparator()), out.text());
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aFailureIsOneLineOnStderrAndKeepsTheOpenModel() {
        Helpers.use("acme:test");
        LlmClient before = Helpers.llm;
        Helpers.use("acme:missing");
        assertSame(before, Helpers.llm);
        assertEquals("helios4j: Acme has no model named 'missing'." + System.lineSeparator(),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void useClosesTheOldModelOnceTheNewOneIsOpen() {
        Helpers.use("acme:test");
        LlmClient old = Helpers.llm;
        Helpers.use("acme:other");
        assertTrue(old.isClosed());
        assertNotSame(old, Helpers.llm);
        assertEquals("acme:other", Helpers.llm.resolvedSpec());
        assertTrue(out.text().contains("helios4j: llm is acme:other."), out.text());
    }

    @Test
    void sayKeepsTheConversationAndUseStartsANewOne() {
        Helpers.use("acme:test");
        Helpers.say("Hi");
        Helpers.say("again");
        assertEquals(4, Helpers.conv.messages().size());
        assertTrue(out.text().contains("Hello! You said: again"), out.text());
        Helpers.use("acme:test");
        assertEquals(0, Helpers.conv.messages().size());
    }

    @Test
    void withNoModelOpenTheHelpersSayHowToOpenOne() {
        assertNull(Helpers.chat("Hi"));
        Helpers.ask("Hi");
        String lines = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, lines.lines().count(), lines);
        assertTrue(lines.lines().allMatch(l -> l.contains("use(\"demo\")")), lines);
    }

    @Test
    void chatReturnsTheWholeAnswer() {
        Helpers.use("acme:test");
        assertEquals(AcmeJar.HELLO_ANSWER, Helpers.chat("Hello"));
    }

    @Test
    void providersAndHelpPrintWithoutAModel() {
        Helpers.providers();
        Helpers.help();
        assertTrue(out.text().contains("acme - Acme"), out.text());
        assertTrue(out.text().contains("ask(\"Why is the sky blue?\")"), out.text());
    }

    /**
     * JShell's stop sets the thread's interrupt flag with its ThreadDeath, and a provider may see
     * the flag first and cancel. The partial text stays, [stopped] ends it, and the flag is
     * cleared: JShell runs the next snippet on the same thread, whose next question must be sent.
     */
    @Test
    void anAnswerCancelledByTheStopsInterruptEndsWithTheMarkAndTheNextAskIsSent() {
        Helpers.use("acme:test");
        int before = out.text().length();
        out.interruptOnFlush = 2; // after the second piece, as a stop would
        Helpers.ask("Hello");
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt flag was left set");
        assertEquals("Hello! You" + System.lineSeparator() + "[stopped]" + System.lineSeparator(),
                out.text().substring(before));
        assertEquals("", err.toString(StandardCharsets.UTF_8));

        Helpers.ask("Hello");
        assertTrue(out.text().endsWith(AcmeJar.HELLO_ANSWER + System.lineSeparator()), out.text());
    }

    @Test
    void aChatCancelledByAnInterruptSaysStoppedAndClearsTheFlag() {
        Helpers.use("acme:test");
        Thread.currentThread().interrupt();
        assertNull(Helpers.chat("Hello"));
        assertFalse(Thread.interrupted(), "the interrupt flag was left set");
        assertTrue(out.text().endsWith("[stopped]" + System.lineSeparator()), out.text());
    }

    /** Records what had been written each time the stream was flushed. */
    private static final class Flushes extends OutputStream {
        final List<String> flushed = new ArrayList<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        /** When positive, the flush with this number interrupts the flushing thread. */
        int interruptOnFlush;

        @Override
        public void write(int b) {
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        @Override
        public void flush() {
            flushed.add(text());
            if (--interruptOnFlush == 0) {
                Thread.currentThread().interrupt();
            }
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
