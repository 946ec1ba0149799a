package dev.helios4j.local.internal.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Whether a process has really ended, including one that is not our child. A killed grandchild
 * (llama-server under its watchdog shell) is re-parented when the shell dies, and until its new
 * parent reaps it, it is a zombie that {@link ProcessHandle#isAlive()} still reports alive; and a
 * process with many threads and large mappings takes a moment after SIGKILL to become one.
 */
final class ProcessEnd {
    private ProcessEnd() {
    }

    /** @return true once the process is gone or a zombie (it holds no memory then) */
    static boolean ended(long pid) {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); // no /proc: trust the JDK
        }
    }

    /**
     * Waits, polling every few milliseconds (these are not our children, so nothing signals their
     * end), until every one of them has ended or the limit has passed.
     *
     * @return true when all ended in time
     */
    static boolean awaitAll(List<ProcessHandle> processes, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (ProcessHandle h : processes) {
            while (!ended(h.pid())) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.sleep(5);
            }
        }
        return true;
    }
}
