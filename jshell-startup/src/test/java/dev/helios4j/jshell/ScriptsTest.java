package dev.helios4j.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every .jsh script, evaluated by a real JShell, on the Acme provider chosen by helios4j.model. */
@Timeout(120)
class ScriptsTest {
    @TempDir
    Path temp;

    @Test
    void everyScriptEvaluatesWithoutARejectedSnippetAndAskPrintsTheAnswer() throws Exception {
        for (Path script : ScriptSession.scripts()) {
            try (ScriptSession s = new ScriptSession(AcmeJar.classpath(), "-Dhelios4j.model=acme:test",
                    "-Dhelios4j.config=" + temp.resolve("absent.properties"))) {
                assertEquals(List.of(), s.evalSource(Files.readString(script)), script.toString());
                assertEquals("\"acme:test\"", s.value("llm.resolvedSpec()"), script.toString());

                s.evalSource("ask(\"Hello\");");
                String out = s.awaitOutput(AcmeJar.HELLO_ANSWER + "\n");
                assertTrue(out.contains(AcmeJar.HELLO_ANSWER + "\n"), script + " printed:\n" + out);
            }
        }
    }
}
