package dev.helios4j.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ctrl-C in JShell during an answer, the real way: {@code JShell.stop()} (what the tool's Ctrl-C
 * calls) throws JShell's stop exception, a {@code ThreadDeath}, into the snippet's thread in the
 * second JVM wherever it is. The answer must end with its partial text and a stop mark, without a
 * provider failure, and the session must answer the next question.
 */
@Timeout(180)
class StopTest {
    @TempDir
    Path temp;

    private final ExecutorService evaluator = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jshell-eval");
        t.setDaemon(true);
        return t;
    });

    @AfterEach
    void tearDown() {
        evaluator.shutdownNow();
    }

    /** A JShell session with helios.jsh run, its model the slow server's; the caller closes it. */
    private ScriptSession startedOn(SlowOpenAiServer server) throws Exception {
        ScriptSession s = new ScriptSession(testClasspath(), "-Dhelios4j.model=openai:slow",
                "-Dhelios4j.openai.base-url=" + server.baseUrl(), "-Dhelios4j.openai.api-key=sk-loopback",
                "-Dhelios4j.config=" + temp.resolve("absent.properties"));
        try {
            assertEquals(List.of(), s.evalSource(Files.readString(ScriptSession.MODULE.resolve("helios.jsh"))),
                    "helios.jsh printed:\n" + s.output());
            return s;
        } catch (Throwable e) {
            s.close();
            throw e;
        }
    }

    @Test
    void stopDuringAnOpenAiAnswerKeepsThePartialTextAndTheSessionAnswersAgain() throws Exception {
        try (SlowOpenAiServer server = new SlowOpenAiServer();
             ScriptSession s = startedOn(server)) {
            assertEquals("\"openai:slow\"", s.value("llm.resolvedSpec()"));

            Future<List<String>> asked = evaluator.submit(() -> s.evalSource("ask(\"" + SlowOpenAiServer.STORY + "\");"));
            String partial = String.join("", SlowOpenAiServer.STORY_START);
            assertTrue(server.holding.await(60, TimeUnit.SECONDS), "the server never sent the story's start");
            assertTrue(s.awaitOutput(partial).contains(partial), "the partial answer never showed:\n" + s.output());

            s.stop(); // the snippet's thread now waits for the next piece of the held stream
            List<String> problems = asked.get(60, TimeUnit.SECONDS);
            server.release();
            String out = s.awaitOutput("[stopped]");

            assertFalse(out.contains("IllegalMonitorStateException"), out);
            assertFalse(out.contains("bug in the provider"), out);
            assertEquals(List.of(), problems, "the stopped snippet threw instead of stopping; output:\n" + out);
            assertTrue(out.contains(partial + "\n[stopped]"), "the partial text and the stop mark:\n" + out);
            assertTrue(server.clientClosed.await(30, TimeUnit.SECONDS), "the client kept the stopped stream open");

            assertEquals(List.of(), s.evalSource("ask(\"Hello\");"));
            String next = s.awaitOutput(SlowOpenAiServer.ANSWER + "\n");
            assertTrue(next.contains(SlowOpenAiServer.ANSWER + "\n"), "the next ask after the stop:\n" + next);
        }
    }

    /**
     * Stops while pieces arrive every 2 ms, so that each lands wherever the thread is: waiting for
     * the body, parsing an event, printing a piece. Ten in one session, each clean.
     */
    @Test
    void stopsWhilePiecesFlowAreCleanEveryTime() throws Exception {
        int rounds = 10;
        try (SlowOpenAiServer server = new SlowOpenAiServer();
             ScriptSession s = startedOn(server)) {
            for (int round = 1; round <= rounds; round++) {
                Future<List<String>> asked = evaluator.submit(() -> s.evalSource("ask(\"" + SlowOpenAiServer.ENDLESS + "\");"));
                assertTrue(server.holding.await(60, TimeUnit.SECONDS), "round " + round + ": no answer began");
                int shown = count(s.output(), " and");
                assertTrue(count(awaitCount(s, " and", shown + 1), " and") > shown, "round " + round + ": nothing shown");
                s.stop();
                List<String> problems = asked.get(60, TimeUnit.SECONDS);
                String out = awaitCount(s, "[stopped]", round);
                assertFalse(out.contains("helios4j: "  + "The provider"), out);
                assertFalse(out.contains("Exception"), out);
                assertEquals(List.of(), problems, "round " + round + ": the stopped snippet threw; output:\n" + out);
                assertEquals(round, count(out, " and\n[stopped]"), "round " + round + ": the partial text, then the mark:\n" + out);
                assertTrue(server.clientClosed.await(30, TimeUnit.SECONDS), "round " + round + ": the stream stayed open");
                server.nextRound();
            }
            assertEquals(List.of(), s.evalSource("ask(\"Hello\");"));
            String next = s.awaitOutput(SlowOpenAiServer.ANSWER + "\n");
            assertTrue(next.contains(SlowOpenAiServer.ANSWER + "\n"), "the next ask after the stops:\n" + next);
        }
    }

    private static String awaitCount(ScriptSession s, String text, int times) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(s.output(), text) < times && System.nanoTime() < deadline) {
            Thread.sleep(5); // polls the output, which comes from the other JVM, until a deadline
        }
        return s.output();
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    /**
     * A stop while the server has not even sent its headers: the JDK's {@code send} leaves the
     * exchange running when a {@code ThreadDeath} leaves its wait, so the body must be cancelled
     * when the headers come, or the connection stays open and busy.
     */
    @Test
    void stopBeforeTheServerAnsweredClosesTheConnectionWhenItDoes() throws Exception {
        try (SlowOpenAiServer server = new SlowOpenAiServer();
             ScriptSession s = startedOn(server)) {

            Future<List<String>> asked = evaluator.submit(() -> s.evalSource("ask(\"" + SlowOpenAiServer.SLOW_START + "\");"));
            assertTrue(server.holding.await(60, TimeUnit.SECONDS), "the request never reached the server");
            s.stop();
            List<String> problems = asked.get(60, TimeUnit.SECONDS);
            server.release();
            String out = s.awaitOutput("[stopped]");
            assertFalse(out.contains("bug in the provider"), out);
            assertEquals(List.of(), problems, "the stopped snippet threw instead of stopping; output:\n" + out);
            assertTrue(out.contains("[stopped]"), out);
            assertTrue(server.clientClosed.await(30, TimeUnit.SECONDS), "the stopped exchange's connection stayed open");

            assertEquals(List.of(), s.evalSource("ask(\"Hello\");"));
            String next = s.awaitOutput(SlowOpenAiServer.ANSWER + "\n");
            assertTrue(next.contains(SlowOpenAiServer.ANSWER + "\n"), "the next ask after the stop:\n" + next);
        }
    }

    /**
     * The demo model answers a chat turn in 8 tokens, far too fast to stop by hand, so the snippet's
     * listener holds after the first piece and the stop lands there, inside the provider's call: in
     * this JVM it must leave llama.cpp's generation through its cancel and free the slot; in the
     * engine process it must close the stream to the engine. Either way the next ask answers.
     */
    @ParameterizedTest
    @ValueSource(strings = {"process", "in-process"})
    void stopDuringADemoAnswerLeavesTheModelReadyForTheNextAsk(String isolation) throws Exception {
        try (ScriptSession s = new ScriptSession(testClasspath(), "-Dhelios4j.llamacpp.isolation=" + isolation,
                "-Dhelios4j.config=" + temp.resolve("absent.properties"))) {
            assertEquals(List.of(), s.evalSource(Files.readString(ScriptSession.MODULE.resolve("helios.jsh"))),
                    "helios.jsh printed:\n" + s.output());
            assertEquals("\"llamacpp:demo\"", s.value("llm == null ? null : llm.resolvedSpec()"), s.output());
            assertEquals(List.of(), s.evalSource("""
                    void hold() {
                        try {
                            Thread.sleep(120_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    """));

            Future<List<String>> asked = evaluator.submit(() -> s.evalSource(
                    "llm.stream(\"Hi\", piece -> { System.out.println(\"piece: \" + piece); hold(); });"));
            assertTrue(s.awaitOutput("piece: ").contains("piece: "), "no piece arrived:\n" + s.output());
            s.stop();
            List<String> problems = asked.get(60, TimeUnit.SECONDS);
            String out = s.output();
            assertFalse(out.contains("bug in the provider"), out);
            assertEquals(List.of(), problems, "the stopped snippet threw instead of stopping; output:\n" + out);
            assertEquals(1, out.split("piece: ", -1).length - 1, "one piece, then the stop:\n" + out);

            assertEquals(List.of(), s.evalSource("ask(\"Hello\");"));
            String next = s.awaitOutput(DemoModelTest.DEMO_ANSWER + "\n");
            assertTrue(next.contains(DemoModelTest.DEMO_ANSWER + "\n"), "the next ask after the stop:\n" + next);
        }
    }

    /** This module's test class path: core, both providers and their dependencies, these helpers. */
    static List<Path> testClasspath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).filter(Files::exists).toList();
    }
}
