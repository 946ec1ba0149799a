package dev.helios4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real JVM that hangs, ignoring interrupts, is halted by the watchdog with its threads' stacks. */
class ForkWatchdogTest {
    @TempDir
    Path dir;

    @Test
    void aJvmThatHangsIsHaltedWithItsStacks() throws Exception {
        Path err = dir.resolve("err.txt");
        Process hang = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Hang.class.getName())
                .redirectErrorStream(false).redirectError(err.toFile()).redirectOutput(dir.resolve("out.txt").toFile())
                .start();
        try {
            assertTrue(hang.waitFor(60, TimeUnit.SECONDS), "the hanging JVM still runs 60 s after its 3 s limit");
            String printed = Files.readString(err, StandardCharsets.UTF_8);
            assertEquals(1, hang.exitValue(), printed);
            assertTrue(printed.contains("helios4j test watchdog"), printed);
            assertTrue(printed.contains(Hang.class.getName() + ".main"), "the stuck frame is shown: " + printed);
        } finally {
            hang.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Runs in the child JVM: sleeps for ever and swallows interrupts, as a stuck test can. */
    static final class Hang {
        public static void main(String[] args) {
            ForkWatchdog.start(Duration.ofSeconds(3));
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    // ignored on purpose
                }
            }
        }
    }
}
