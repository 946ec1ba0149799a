package dev.helios4j.testkit;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The last guard of helios4j's own build against a test JVM that hangs: once the JVM has run for
 * the number of seconds in the JUnit configuration parameter {@value #PARAMETER}, it prints every
 * thread's stack to stderr and halts, so the build fails with a trace instead of eating CI's time.
 *
 * <p>Why it exists: JUnit's default timeout only interrupts a test, which a native call or a loop
 * that swallows interrupts ignores; and Surefire 3.5's {@code forkedProcessTimeoutInSeconds} was
 * seen to report the timeout only when the fork ended by itself (a 4 s limit on a 120 s test: the
 * fork ran 120 s). The root pom sets the parameter and turns on JUnit's extension auto-detection,
 * which finds this class through {@code META-INF/services}. Anywhere else (a provider author's
 * build using this test-jar) auto-detection is off by default, and without the parameter it does
 * nothing.
 */
public final class ForkWatchdog implements BeforeAllCallback {
    /** The JUnit configuration parameter: seconds of JVM uptime; 0 or absent for no limit. */
    public static final String PARAMETER = "helios4j.test.fork-timeout";
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /** Creates the extension; JUnit does this. */
    public ForkWatchdog() {
    }

    /** Starts the watchdog once per JVM, when the parameter asks for one. */
    @Override
    public void beforeAll(ExtensionContext context) {
        long seconds = context.getConfigurationParameter(PARAMETER, Long::parseLong).orElse(0L);
        if (seconds > 0) {
            start(Duration.ofSeconds(seconds));
        }
    }

    /**
     * Starts the watchdog thread, unless one runs already.
     *
     * @param limit how long this JVM may run, counted from its start
     */
    static void start(Duration limit) {
        if (!STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread watchdog = new Thread(() -> watch(limit), "helios4j-fork-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static void watch(Duration limit) {
        long left;
        while ((left = limit.toMillis() - ManagementFactory.getRuntimeMXBean().getUptime()) > 0) {
            try {
                Thread.sleep(left);
            } catch (InterruptedException e) {
                // nobody may stop the last guard: keep waiting
            }
        }
        StringBuilder dump = new StringBuilder("helios4j test watchdog: this test JVM has run for " + limit.toSeconds()
                + " s (" + PARAMETER + "; the root pom's test.fork-timeout) and is halted. Its threads:\n");
        for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            dump.append('"').append(t.getKey().getName()).append("\" ").append(t.getKey().getState()).append('\n');
            for (StackTraceElement frame : t.getValue()) {
                dump.append("    at ").append(frame).append('\n');
            }
        }
        try {
            // The process's own stderr (left open), not System.err: Surefire relays that one from a
            // buffer, which the halt would lose. Surefire shows what the fork writes here on the console.
            FileOutputStream nativeErr = new FileOutputStream(FileDescriptor.err);
            nativeErr.write(dump.toString().getBytes(StandardCharsets.UTF_8));
            nativeErr.flush();
        } catch (IOException e) {
            // halt anyway
        }
        Runtime.getRuntime().halt(1);
    }
}
