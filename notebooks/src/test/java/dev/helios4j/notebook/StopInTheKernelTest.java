package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.LlmClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.dflib.jjava.jupyter.channels.RecordingShellEnvironment;
import org.dflib.jjava.jupyter.kernel.JJavaShellKernel;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.messages.publish.PublishError;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stop button as IJava and JJava really press it: the cell runs in a JShell on an executor
 * thread; the kernel's shell thread waits on its future; the interrupt cancels the future; the
 * shell thread publishes "Evaluation interrupted.", replies and detaches the cell's display
 * stream (the real JJava 1.0-a6 {@code BaseKernel}), after which updates are dropped. The stopped
 * answer must be shown before that, every time.
 */
class StopInTheKernelTest {
    private static final String CELL = "helios4j.test.cell";
    private static final int STOPS = 100;
    private static LlmClient llm;

    @BeforeAll
    static void openModel() {
        llm = Acme.open("x");
    }

    @AfterAll
    static void closeModel() {
        llm.close();
        System.getProperties().remove(CELL);
        Kernels.forget();
    }

    @Test
    void everyStopEndsWithTheWholePartialAnswerMarkedStoppedBeforeTheKernelDetaches() throws Exception {
        List<String> lost = new ArrayList<>();
        try (JJavaShellKernel kernel = new JJavaShellKernel().install()) {
            Kernels.forget();
            for (int i = 0; i < STOPS; i++) {
                String problem = stopOnce(kernel);
                if (problem != null) {
                    lost.add("stop " + (i + 1) + ": " + problem);
                }
            }
        }
        assertTrue(lost.isEmpty(), lost.size() + " of " + STOPS + " stops lost the final state; first: "
                + lost.subList(0, Math.min(3, lost.size())));
    }

    @Test
    void aModelSlowToNoticeTheStopIsShownStoppedByTheShellThreadWithTheTextSoFar() throws Exception {
        RecordingFrontend frontend = new RecordingFrontend();
        AnswerFormat format = new AnswerFormat("acme:x", false, "", "");
        LiveAnswer[] answer = new LiveAnswer[1];
        Thread cell = new Thread(() -> {
            answer[0] = new LiveAnswer(frontend, Throttle.systemDefault(), format);
            answer[0].start();
            answer[0].onToken("one two");
        });
        cell.start();
        cell.join(10_000);
        assertFalse(cell.isAlive());

        answer[0].awaitEndOrStop(10, TimeUnit.MILLISECONDS); // the model never ended the answer
        assertEquals("one two\n\n[⏹ stopped]", frontend.last().output().plain());
        int calls = frontend.calls.size();
        answer[0].onToken(" three");
        answer[0].stopped("one two three");
        assertEquals(calls, frontend.calls.size(), "nothing is published after the final state");
    }

    /** @return null when the output ended as it should, or what went wrong */
    private static String stopOnce(JJavaShellKernel kernel) throws InterruptedException {
        RecordingShellEnvironment env = new RecordingShellEnvironment();
        AtomicReference<ChatResponse> answer = new AtomicReference<>();
        CountDownLatch cellDone = new CountDownLatch(1);
        System.getProperties().put(CELL, (Runnable) () -> {
            try {
                answer.set(Notebook.stream(llm, ChatRequest.of("Count for ever")).response());
            } finally {
                cellDone.countDown();
            }
        });
        Thread shell = new Thread(() -> kernel.execute(env, "((Runnable) System.getProperties().get(\"" + CELL + "\")).run();"),
                "kernel-shell");
        shell.start();
        try {
            awaitStreaming(env);
            kernel.interrupt(); // what the kernel's control thread does on the stop button
            shell.join(30_000);
            assertFalse(shell.isAlive(), "the kernel's shell thread did not finish the request within 30 s");
            assertTrue(cellDone.await(30, TimeUnit.SECONDS), "the cell did not end within 30 s of the stop");
        } finally {
            kernel.interrupt(); // the model counts for ever: never leave it running after a failure
        }

        ChatResponse r = answer.get();
        assertEquals(FinishReason.CANCELLED, r.finishReason());
        List<Object> sent = env.sent;
        int error = indexOf(sent, PublishError.class);
        int reply = indexOf(sent, ErrorReply.class);
        assertTrue(error >= 0 && reply > error, "the kernel published the error, then replied: " + sent);
        int lastUpdate = -1;
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i) instanceof PublishUpdateDisplayData) {
                lastUpdate = i;
            }
        }
        String last = (String) ((PublishUpdateDisplayData) sent.get(lastUpdate)).getData(MIMEType.TEXT_PLAIN);
        String expected = r.text() + "\n\n[⏹ stopped · acme:x]";
        if (!last.equals(expected)) {
            return "the output ends with '" + tail(last) + "', not the stopped answer '" + tail(expected) + "'";
        }
        if (lastUpdate > error) {
            return "the stopped state came after the kernel's error";
        }
        return null;
    }

    private static void awaitStreaming(RecordingShellEnvironment env) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (indexOf(env.sent, PublishUpdateDisplayData.class) < 0) {
            if (System.nanoTime() - deadline > 0) {
                fail("Waited 60 s for the answer's first update; the kernel sent " + env.sent);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // polls a list the kernel appends to
        }
    }

    private static int indexOf(List<Object> sent, Class<?> type) {
        for (int i = 0; i < sent.size(); i++) {
            if (type.isInstance(sent.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String tail(String s) {
        return s.length() <= 40 ? s : "…" + s.substring(s.length() - 40);
    }
}
