package dev.helios4j.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** helios.jsh with nothing configured, on the real llamacpp provider's built-in demo model. */
@Timeout(120)
class DemoModelTest {
    /** The demo model's designed chat answer. */
    static final String DEMO_ANSWER = dev.helios4j.local.internal.gguf.DemoModels.CHAT_ANSWER;

    @TempDir
    Path temp;

    @Test
    void withNothingConfiguredAskHelloPrintsTheDemoModelsAnswer() throws Exception {
        List<Path> classpath = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of).filter(Files::exists).toList();
        try (ScriptSession s = new ScriptSession(classpath, "-Dhelios4j.config=" + temp.resolve("absent.properties"))) {
            assertEquals(List.of(), s.evalSource(Files.readString(ScriptSession.MODULE.resolve("helios.jsh"))),
                    "helios.jsh printed:\n" + s.output());
            String said = s.awaitOutput("helios4j: "); // use() says which model is open, or why none is
            assertEquals("\"llamacpp:demo\"", s.value("llm == null ? null : llm.resolvedSpec()"),
                    "helios.jsh printed:\n" + said);

            s.evalSource("ask(\"Hello\");");
            String out = s.awaitOutput(DEMO_ANSWER + "\n");
            assertTrue(out.contains(DEMO_ANSWER + "\n"), out);
        }
    }
}
