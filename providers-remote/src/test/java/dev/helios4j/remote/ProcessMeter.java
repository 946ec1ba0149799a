package dev.helios4j.remote;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What this whole JVM spent over a window: CPU of every thread, Java or not (GC included), except
 * the JIT compiler's; bytes allocated; threads started and ended. Linux only.
 *
 * <p>Why {@code /proc/self/task/*}: in JDK 17 the compiler threads are hidden from
 * {@code ThreadMXBean}, so their CPU can only be read from the OS, and each task's
 * {@code schedstat} gives its run time in nanoseconds, where {@code getProcessCpuTime} and
 * {@code /proc/self/stat} count 10 ms clock ticks. A thread that ends inside the window takes its
 * run time out of that per-task sum; when that happens (a task gone, or more Java threads started
 * than new tasks remain) the window falls back to the tick-counted process CPU, which keeps dead
 * threads, minus the compiler threads' run time, and says so ({@link Window#coarse}).
 *
 * <p>Allocation is {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} summed over the
 * Java threads alive at the end; a Java thread that ended inside the window is counted in
 * {@link Window#threadsEnded} and its bytes are missing.
 */
final class ProcessMeter {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    /** What one window cost. */
    record Window(long cpuNanos, long jitNanos, long allocatedBytes, long threadsStarted, int threadsEnded,
            boolean coarse, long wallNanos) {
    }

    private final Map<Integer, long[]> tasks; // tid -> {run ns, 1 if compiler}
    private final long processTicks;
    private final Map<Long, Long> allocated = new HashMap<>();
    private final long started;
    private final long wall;

    private ProcessMeter() throws IOException {
        started = THREADS.getTotalStartedThreadCount();
        readAllocated(allocated);
        processTicks = OS.getProcessCpuTime();
        tasks = readTasks();
        wall = System.nanoTime();
    }

    static ProcessMeter start() throws IOException {
        return new ProcessMeter();
    }

    Window stop() throws IOException {
        long wallNanos = System.nanoTime() - wall;
        Map<Integer, long[]> end = readTasks();
        long ticks = OS.getProcessCpuTime() - processTicks;
        Map<Long, Long> bytes = new HashMap<>();
        readAllocated(bytes);
        long startedNow = THREADS.getTotalStartedThreadCount() - started;

        long precise = 0;
        long jit = 0;
        int newTasks = 0;
        for (Map.Entry<Integer, long[]> e : end.entrySet()) {
            long[] before = tasks.get(e.getKey());
            newTasks += before == null ? 1 : 0;
            long ran = e.getValue()[0] - (before == null ? 0 : before[0]);
            if (e.getValue()[1] == 1) {
                jit += ran;
            } else {
                precise += ran;
            }
        }
        int gone = 0;
        for (Integer tid : tasks.keySet()) {
            gone += end.containsKey(tid) ? 0 : 1;
        }
        boolean coarse = gone > 0 || startedNow > newTasks;
        long allocatedBytes = 0;
        int ended = 0;
        for (Map.Entry<Long, Long> e : allocated.entrySet()) {
            Long now = bytes.get(e.getKey());
            if (now == null) {
                ended++;
            }
        }
        for (Map.Entry<Long, Long> e : bytes.entrySet()) {
            allocatedBytes += e.getValue() - allocated.getOrDefault(e.getKey(), 0L);
        }
        ended += (int) Math.max(0, startedNow - (bytes.size() - countKept(bytes)));
        return new Window(coarse ? ticks - jit : precise, jit, allocatedBytes, startedNow, ended, coarse, wallNanos);
    }

    private int countKept(Map<Long, Long> now) {
        int kept = 0;
        for (Long id : now.keySet()) {
            kept += allocated.containsKey(id) ? 1 : 0;
        }
        return kept;
    }

    private static void readAllocated(Map<Long, Long> into) {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                into.put(ids[i], bytes[i]);
            }
        }
    }

    private static Map<Integer, long[]> readTasks() throws IOException {
        Map<Integer, long[]> out = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(TASKS)) {
            for (Path task : dir) {
                try {
                    String comm = Files.readString(task.resolve("comm"));
                    String stat = Files.readString(task.resolve("schedstat"));
                    long ran = Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                    boolean compiler = comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre");
                    out.put(Integer.parseInt(task.getFileName().toString()), new long[] {ran, compiler ? 1 : 0});
                } catch (NoSuchFileException e) {
                    // the task ended while the directory was read
                }
            }
        }
        return out;
    }
}
