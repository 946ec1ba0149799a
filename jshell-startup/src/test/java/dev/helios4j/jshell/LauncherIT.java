package dev.helios4j.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, driven as CI drives it, on the Acme provider. */
class LauncherIT {
    @TempDir
    Path temp;

    @Test
    void askHelloPrintsTheAnswerAndExitExitsPromptly() throws Exception {
        Path tmp = Files.createDirectories(temp.resolve("tmp"));
        // Through a symlink (as from ~/bin), from an unrelated directory, with an empty configuration.
        Path link = Files.createSymbolicLink(temp.resolve("helios4j"), Launcher.SCRIPT);
        Launcher.Result r = Launcher.run(link, temp, Map.of("TMPDIR", tmp.toString(),
                        "XDG_CONFIG_HOME", temp.resolve("config").toString()),
                "ask(\"Hello\")\n/exit\n",
                "--class-path", AcmeJar.get().toString(), "-R-Dhelios4j.model=acme:test");
        Files.delete(link);

        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains(AcmeJar.HELLO_ANSWER + "\n"), r.output());
        assertFalse(r.output().contains("building"), "the jar was just built, yet the launcher rebuilt it:\n" + r.output());
        try (var left = Files.list(tmp)) {
            assertEquals(0, left.count(), "the launcher leaves its native temp directory behind");
        }
    }

    @Test
    void withoutAJdkTheLauncherSaysWhatToInstall() throws Exception {
        Launcher.Result r;
        try (var path = new Launcher.FakePath(Set.of("java", "jshell", "mvn"))) {
            r = Launcher.run(Launcher.SCRIPT, temp, Map.of("PATH", path.dir.toString(), "JAVA_HOME", ""), "");
        }

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().startsWith("helios4j: jshell was not found. Install a JDK 17 or later"), r.output());
    }

    @Test
    void withoutTheJarOrMavenTheLauncherSaysWhatToInstall() throws Exception {
        Path copy = Files.createDirectories(temp.resolve("checkout")).resolve("helios4j"); // a checkout never built
        Files.copy(Launcher.SCRIPT, copy);
        Launcher.Result r;
        try (var path = new Launcher.FakePath(Set.of("mvn"))) {
            r = Launcher.run(copy, temp, Map.of("PATH", path.dir.toString()), "");
        }

        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.output().contains("Install Maven 3.8 or later"), r.output());
    }
}
