package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.LlmClient;
import dev.helios4j.internal.Throttle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import io.github.spencerpark.ijava.IJava;
import io.github.spencerpark.jupyter.kernel.IJavaShellKernel;
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
 * The stop button as IJava and JJava really press it, through their real kernel libraries
 * (jjava-jupyter 1.0-a6, and jupyter-jvm-basekernel 2.3.0 under IJava): the cell runs in a JShell on an executor
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

    /** One kernel library, as the test drives it. */
    private record Rig(String name, Supplier<Object> newEnv, BiConsumer<Object, String> execute, Runnable interrupt,
            Function<Object, List<Object>> sent, Function<Object, String> updatedPlain, Class<?> error, Class<?> reply) {
    }

    @Test
    void jjavaEveryStopEndsWithTheWholePartialAnswerMarkedStoppedBeforeTheKernelDetaches() throws Exception {
        try (JJavaShellKernel kernel = new JJavaShellKernel().install()) {
            assertEveryStopShows(new Rig("JJava", RecordingShellEnvironment::new,
                    (env, code) -> kernel.execute((RecordingShellEnvironment) env, code), kernel::interrupt,
                    env -> ((RecordingShellEnvironment) env).sent,
                    m -> m instanceof PublishUpdateDisplayData u ? (String) u.getData(MIMEType.TEXT_PLAIN) : null,
                    PublishError.class, ErrorReply.class), STOPS);
        }
    }

    @Test
    void ijavaEveryStopEndsWithTheWholePartialAnswerMarkedStoppedBeforeTheKernelDetaches() throws Exception {
        try (IJavaShellKernel kernel = new IJavaShellKernel()) {
            IJava.kernel = kernel;
            assertEveryStopShows(new Rig("IJava", io.github.spencerpark.jupyter.channels.RecordingShellEnvironment::new,
                    (env, code) -> kernel.execute((io.github.spencerpark.jupyter.channels.RecordingShellEnvironment) env, code),
                    kernel::interrupt,
                    env -> ((io.github.spencerpark.jupyter.channels.RecordingShellEnvironment) env).sent,
                    m -> m instanceof io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData u
                            ? (String) u.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN) : null,
                    io.github.spencerpark.jupyter.messages.publish.PublishError.class,
                    io.github.spencerpark.jupyter.messages.reply.ErrorReply.class), STOPS / 2);
        } finally {
            IJava.kernel = null;
        }
    }

    private static void assertEveryStopShows(Rig rig, int stops) throws Exception {
        Kernels.forget();
        assertEquals(rig.name(), Notebook.kernel());
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < stops; i++) {
            String problem = stopOnce(rig);
            if (problem != null) {
                lost.add("stop " + (i + 1) + ": " + problem);
            }
        }
        Kernels.forget();
        assertTrue(lost.isEmpty(), rig.name() + ": " + lost.size() + " of " + stops + " stops lost the final state; first: "
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

    @Test
    void aCellThatFailsOtherwiseLeavesAnAnswerStreamingOnAnotherThreadAlone() throws Exception {
        RecordingFrontend frontend = new RecordingFrontend();
        LiveAnswer[] answer = new LiveAnswer[1];
        Thread background = new Thread(() -> {
            answer[0] = new LiveAnswer(frontend, Throttle.systemDefault(), new AnswerFormat("acme:x", false, "", ""));
            answer[0].start();
            answer[0].onToken("still going");
        });
        background.start();
        background.join(10_000);
        try (JJavaShellKernel kernel = new JJavaShellKernel().install()) {
            Kernels.forget();
            assertEquals("JJava", Notebook.kernel()); // detection watches the kernel's JShell
            RecordingShellEnvironment env = new RecordingShellEnvironment();
            kernel.execute(env, "throw new IllegalStateException(\"boom\");");
            assertTrue(indexOf(env.sent, PublishError.class) >= 0, "the cell failed: " + env.sent);
            assertTrue(frontend.calls.stream().noneMatch(c -> c.output().plain().contains("stopped")),
                    "an answer of another cell was marked stopped: " + frontend.calls);
        } finally {
            answer[0].stopped("still going");
            Kernels.forget();
        }
    }

    /** @return null when the output ended as it should, or what went wrong */
    private static String stopOnce(Rig rig) throws InterruptedException {
        Object env = rig.newEnv().get();
        List<Object> sent = rig.sent().apply(env);
        AtomicReference<ChatResponse> answer = new AtomicReference<>();
        CountDownLatch cellDone = new CountDownLatch(1);
        System.getProperties().put(CELL, (Runnable) () -> {
            try {
                answer.set(Notebook.stream(llm, ChatRequest.of("Count for ever")).response());
            } finally {
                cellDone.countDown();
            }
        });
        Thread shell = new Thread(() -> rig.execute().accept(env, "((Runnable) System.getProperties().get(\"" + CELL + "\")).run();"),
                "kernel-shell");
        shell.start();
        try {
            awaitStreaming(sent, rig);
            rig.interrupt().run(); // what the kernel's control thread does on the stop button
            shell.join(30_000);
            assertFalse(shell.isAlive(), "the kernel's shell thread did not finish the request within 30 s");
            assertTrue(cellDone.await(30, TimeUnit.SECONDS), "the cell did not end within 30 s of the stop");
        } finally {
            rig.interrupt().run(); // the model counts for ever: never leave it running after a failure
        }

        ChatResponse r = answer.get();
        assertEquals(FinishReason.CANCELLED, r.finishReason());
        int error = indexOf(sent, rig.error());
        int reply = indexOf(sent, rig.reply());
        assertTrue(error >= 0 && reply > error, "the kernel published the error, then replied: " + sent);
        int lastUpdate = -1;
        for (int i = 0; i < sent.size(); i++) {
            if (rig.updatedPlain().apply(sent.get(i)) != null) {
                lastUpdate = i;
            }
        }
        String last = rig.updatedPlain().apply(sent.get(lastUpdate));
        String expected = r.text() + "\n\n[⏹ stopped · acme:x]";
        if (!last.equals(expected)) {
            return "the output ends with '" + tail(last) + "', not the stopped answer '" + tail(expected) + "'";
        }
        if (lastUpdate > error) {
            return "the stopped state came after the kernel's error";
        }
        return null;
    }

    private static void awaitStreaming(List<Object> sent, Rig rig) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sent.stream().noneMatch(m -> rig.updatedPlain().apply(m) != null)) {
            if (System.nanoTime() - deadline > 0) {
                fail("Waited 60 s for the answer's first update; the kernel sent " + sent);
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
