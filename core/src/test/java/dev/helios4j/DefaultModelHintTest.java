package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.testkit.TestJars;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;

/** The one line Llm.open() logs when no model is configured tells how to set one where it is shown. */
class DefaultModelHintTest {
    private static final Settings NO_CONFIG = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"));

    @Test
    void aPlainJvmIsToldToUseDashD() {
        String hint = Llm.howToPickAModel(System.getProperty("sun.java.command", ""), NO_CONFIG);
        assertTrue(hint.contains("with -Dhelios4j.model=SPEC"), hint);
        assertTrue(hint.contains("HELIOS4J_MODEL=SPEC"), hint);
        assertTrue(hint.contains("/nonexistent-home/.config/helios4j/config.properties"), hint);
    }

    @Test
    void jshellWithLocalExecutionIsToldToUseDashJ() {
        String hint = Llm.howToPickAModel("jdk.jshell/jdk.internal.jshell.tool.JShellToolProvider --execution local",
                NO_CONFIG);
        assertTrue(hint.contains("-J-Dhelios4j.model=SPEC"), hint);
    }

    /** A real JShell: the snippets run in a second JVM, where only -R options arrive. */
    @Test
    void theJvmRunningJShellSnippetsIsToldToUseTheLaunchersDashR() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
             JShell jshell = JShell.builder().err(errStream).out(errStream).build()) {
            jshell.addToClasspath(TestJars.coreClasses().toString());
            List<SnippetEvent> events = jshell.eval("try { dev.helios4j.Llm.open(dev.helios4j.Settings.of("
                    + "java.util.Map.of(), java.util.Map.of(), java.nio.file.Path.of(\"/nonexistent-home\"))); } "
                    + "catch (dev.helios4j.ProviderNotFoundException e) { System.err.println(\"(no llamacpp here)\"); }");
            assertTrue(events.stream().allMatch(e -> e.exception() == null), events.toString());
        }
        String shown = err.toString(StandardCharsets.UTF_8);
        assertTrue(shown.contains("(no llamacpp here)"), shown);
        assertTrue(shown.contains("./helios4j -R-Dhelios4j.model=SPEC"), shown);
        assertFalse(shown.contains("with -Dhelios4j.model"), shown);
    }
}
