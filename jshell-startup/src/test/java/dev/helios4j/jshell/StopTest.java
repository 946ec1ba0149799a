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

    @Test
    void stopDuringAnOpenAiAnswerKeepsThePartialTextAndTheSessionAnswersAgain() throws Exception {
        try (SlowOpenAiServer server = new SlowOpenAiServer();
             ScriptSession s = new ScriptSession(testClasspath(), "-Dhelios4j.model=openai:slow",
                     "-Dhelios4j.openai.base-url=" + server.baseUrl(), "-Dhelios4j.openai.api-key=sk-loopback",
                     "-Dhelios4j.config=" + temp.resolve("absent.properties"))) {
            assertEquals(List.of(), s.evalSource(Files.readString(ScriptSession.MODULE.resolve("helios.jsh"))),
                    "helios.jsh printed:\n" + s.output());
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

    /** This module's test class path: core, both providers and their dependencies, these helpers. */
    static List<Path> testClasspath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).filter(Files::exists).toList();
    }
}
