package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.LlmClient;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.testkit.Stdout;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.dflib.jjava.jupyter.kernel.JJavaTestKernel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The helpers end to end: the Acme model streaming into a real JJava kernel's display path. */
class NotebookStreamingTest {
    private static LlmClient llm;
    private JJavaTestKernel kernel;

    @BeforeAll
    static void openModel() {
        llm = Acme.open("x");
    }

    @AfterAll
    static void closeModel() {
        llm.close();
    }

    @BeforeEach
    void startKernel() {
        Kernels.forget();
        kernel = new JJavaTestKernel().install();
    }

    @AfterEach
    void stopKernel() {
        kernel.uninstall();
        Kernels.forget();
        Notebook.footer(true);
    }

    private List<DisplayData> outputs() {
        return kernel.env.published.stream().map(DisplayData.class::cast).toList();
    }

    /** Waits for the kernel to have published {@code n} outputs; fails, saying what came, after 30 s. */
    private void awaitOutputs(int n, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (outputs().size() < n) {
            if (System.nanoTime() - deadline > 0) {
                fail("Waited 30 s for " + what + " (" + n + " outputs); the kernel published " + outputs().size()
                        + ": " + kernel.env.published);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polls a list the kernel appends to
        }
    }

    private static String plain(DisplayData d) {
        return (String) d.getData(MIMEType.TEXT_PLAIN);
    }

    @Test
    void chatStreamsIntoOneOutputWhoseFinalTextIsTheAnswer() {
        Notebook.footer(false);
        Notebook.chat(llm, "Hello");

        List<DisplayData> sent = outputs();
        assertTrue(sent.get(0) instanceof PublishDisplayData);
        assertEquals(1, sent.stream().filter(d -> d instanceof PublishDisplayData).count(), "one output");
        assertTrue(sent.stream().allMatch(d -> d.getDisplayId().equals(sent.get(0).getDisplayId())));
        assertEquals("Hello! You said: Hello", plain(sent.get(sent.size() - 1)));
        assertEquals("Hello! You said: Hello", sent.get(sent.size() - 1).getData(MIMEType.TEXT_MARKDOWN));
    }

    @Test
    void footerNamesTheModelAndTheTokenCount() {
        ChatResponse r = Notebook.stream(llm, ChatRequest.of("Hello")).response();
        String last = plain(outputs().get(outputs().size() - 1));
        assertTrue(last.startsWith("Hello! You said: Hello\n\n[acme-x · 4 tokens"), last);
        assertEquals(FinishReason.STOP, r.finishReason());
    }

    @Test
    void interruptingTheCellStopsAtOnceAndKeepsThePartialTextMarkedStopped() throws Exception {
        AtomicReference<ChatResponse> result = new AtomicReference<>();
        Thread cell = new Thread(() -> result.set(Notebook.stream(llm, ChatRequest.of("Count for ever")).response()));
        cell.start();
        long stopMillis;
        try {
            awaitOutputs(3, "the display, then at least two throttled updates");
            long stopAt = System.nanoTime();
            cell.interrupt(); // what the stop button does in JJava, IJava and rapaio
            cell.join(5_000);
            stopMillis = (System.nanoTime() - stopAt) / 1_000_000;
            assertFalse(cell.isAlive(), "the cell still runs 5 s after the interrupt");
        } finally {
            cell.interrupt(); // the model counts for ever: never leave it running after a failure
            cell.join(5_000);
        }

        ChatResponse r = result.get();
        assertEquals(FinishReason.CANCELLED, r.finishReason());
        assertTrue(r.text().startsWith("one two three"), r.text());
        String last = plain(outputs().get(outputs().size() - 1));
        assertEquals(r.text() + "\n\n[⏹ stopped · acme:x]", last);
        assertTrue(stopMillis < 1_000, "stopped in " + stopMillis + " ms");
    }

    @Test
    void failureShowsAShortBlockInTheOutputAndIsNotThrown() {
        NotebookAnswer r = Notebook.stream(llm, ChatRequest.builder().user("Hello").model("no-such-model").build());
        assertNull(r.response());
        assertTrue(r.error().orElseThrow() instanceof ModelNotFoundException);
        assertEquals("(no answer: the message above says why)", r.toString());
        String last = plain(outputs().get(outputs().size() - 1));
        assertEquals("⚠ Model not found\nAcme has no model named 'no-such-model'.", last);
        assertTrue(Notebook.lastError().orElseThrow() instanceof ModelNotFoundException);
    }

    @Test
    void conversationShowsEachTurnAsATranscriptAndRemembersIt() {
        Notebook.footer(false);
        NotebookConversation chat = Notebook.conversation(llm);
        chat.send("Hello");
        assertEquals("You: Hello\nacme:x: Hello! You said: Hello", plain(outputs().get(outputs().size() - 1)));
        chat.send("Again");
        assertEquals("**You:** Hello\n\n**acme:x:**\n\nHello! You said: Hello\n\n**You:** Again\n\n**acme:x:**\n\n"
                + "Hello! You said: Again", chat.transcript());
        chat.show();
        assertEquals(chat.transcript(), outputs().get(outputs().size() - 1).getData(MIMEType.TEXT_MARKDOWN));
        assertEquals(4, chat.conversation().messages().size());
    }

    @Test
    void withoutAKernelEachPieceIsPrintedAndTheAnswerReturned() {
        Notebook.useStdout(true);
        String printed;
        try {
            printed = Stdout.capture(() -> assertEquals("Hello! You said: Hello", Notebook.stream(llm, ChatRequest.of("Hello")).text()));
        } finally {
            Notebook.useStdout(false);
        }
        assertTrue(printed.startsWith("Hello! You said: Hello\n[acme-x · 4 tokens"), printed);
        assertEquals(0, kernel.env.published.size(), "nothing displayed while stdout is forced");
    }

    @Test
    void theReturnedAnswerPrintsAsOneShortLineNotTheAnswerAgain() {
        NotebookAnswer a = Notebook.stream(llm, ChatRequest.of("Hello"));
        assertEquals("Hello! You said: Hello", a.text());
        assertFalse(a.stopped());
        assertEquals("(answer shown above: 22 characters, stop)", a.toString());
        assertFalse(a.toString().contains(a.text()), "the kernels show a cell's value even after ';'");
    }

    @Test
    void openShowsAFailureAsTheShortBlockAndTheHelpersGivenNoModelSaySo() {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        LlmClient missing;
        try {
            t.setContextClassLoader(Acme.loader());
            missing = Notebook.open("acme:missing");
        } finally {
            t.setContextClassLoader(before);
        }
        assertNull(missing);
        assertEquals("⚠ Model not found\nAcme has no model named 'missing'.", plain(outputs().get(outputs().size() - 1)));
        assertTrue(Notebook.lastError().orElseThrow() instanceof ModelNotFoundException);

        assertNull(Notebook.open("nosuchprovider:x"));
        String unknown = plain(outputs().get(outputs().size() - 1));
        assertTrue(unknown.startsWith("⚠ No provider for this model\n"), unknown);
        assertFalse(unknown.contains("\tat "), "no stack trace: " + unknown);

        Notebook.chat(null, "Hello");
        String noModel = plain(outputs().get(outputs().size() - 1));
        assertTrue(noModel.startsWith("⚠ Invalid request\nNo model: the cell that opened it failed"), noModel);
    }

    @Test
    void openOpensAWorkingModelAsLlmOpenDoes() {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try {
            t.setContextClassLoader(Acme.loader());
            try (LlmClient opened = Notebook.open("acme:x")) {
                assertEquals("Hello! You said: Hi", opened.chat("Hi"));
            }
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Test
    void markdownsPlainCopyReadsAsText() {
        Notebook.markdown("**Not available offline.** Get `q4\\_k\\_m` from [the hub](https://example.org/x).");
        DisplayData d = outputs().get(outputs().size() - 1);
        assertEquals("Not available offline. Get q4_k_m from the hub (https://example.org/x).", plain(d));
        assertEquals("**Not available offline.** Get `q4\\_k\\_m` from [the hub](https://example.org/x).",
                d.getData(MIMEType.TEXT_MARKDOWN));
    }
}
