package dev.helios4j.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command exactly as CI runs it, with nothing configured: the demo model of
 * providers-local answers.
 */
class DemoLauncherIT {
    @TempDir
    Path temp;

    @Test
    void askHelloWithNothingConfiguredPrintsTheDemoAnswerAndExits() throws Exception {
        Launcher.Result r = Launcher.run(Launcher.SCRIPT, temp,
                Map.of("XDG_CONFIG_HOME", temp.resolve("config").toString()), "ask(\"Hello\")\n/exit\n");

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains(DemoModelTest.DEMO_ANSWER + "\n"), r.output());
        // The binding prints "Extracted ..." when it unpacks its library itself; ours does it quietly.
        assertFalse(r.output().contains("Extracted"), r.output());
    }
}
