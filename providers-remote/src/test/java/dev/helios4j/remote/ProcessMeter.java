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
 * <p>Allocation is {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} per Java thread,
 * read by a sampler every {@value #SAMPLE_MILLIS} ms as well as at both ends, so that a thread that
 * ends inside the window (LangChain4j parses each answer on a thread of its own, started for it)
 * keeps all but its last few milliseconds. The sampler is one long-lived thread of this class; its
 * own CPU, allocation and start are taken out of every figure.
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

    private static final long SAMPLE_MILLIS = 5;
    private static final Sampler SAMPLER = new Sampler();

    private final Map<Integer, long[]> tasks; // tid -> {run ns, 1 if compiler}
    private final long processTicks;
    private final Map<Long, Long> allocated = new HashMap<>();
    private final long started;
    private final long samplerCpu;
    private final long wall;

    private ProcessMeter() throws IOException {
        started = THREADS.getTotalStartedThreadCount();
        readAllocated(allocated);
        samplerCpu = THREADS.getThreadCpuTime(SAMPLER.getId());
        processTicks = OS.getProcessCpuTime();
        tasks = readTasks();
        wall = System.nanoTime();
        SAMPLER.begin();
    }

    static ProcessMeter start() throws IOException {
        return new ProcessMeter();
    }

    Window stop() throws IOException {
        long wallNanos = System.nanoTime() - wall;
        Map<Long, Long> bytes = SAMPLER.end(); // last seen per thread, ended threads included
        Map<Integer, long[]> end = readTasks();
        long ticks = OS.getProcessCpuTime() - processTicks;
        long sampler = THREADS.getThreadCpuTime(SAMPLER.getId()) - samplerCpu;
        Map<Long, Long> alive = new HashMap<>();
        readAllocated(alive);
        bytes.putAll(alive);
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
        for (Map.Entry<Long, Long> e : bytes.entrySet()) {
            allocatedBytes += e.getValue() - allocated.getOrDefault(e.getKey(), 0L);
        }
        int ended = 0;
        for (Long id : bytes.keySet()) {
            ended += alive.containsKey(id) ? 0 : 1;
        }
        long cpu = (coarse ? ticks - jit : precise) - sampler;
        return new Window(cpu, jit, allocatedBytes, startedNow, ended, coarse, wallNanos);
    }

    private static void readAllocated(Map<Long, Long> into) {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0 && ids[i] != SAMPLER.getId()) {
                into.put(ids[i], bytes[i]);
            }
        }
    }

    /** Reads every thread's allocated bytes every few milliseconds while a window is open. */
    private static final class Sampler extends Thread {
        private final Map<Long, Long> seen = new HashMap<>();
        private boolean open;

        Sampler() {
            super("bench-allocation-sampler");
            setDaemon(true);
            start();
        }

        synchronized void begin() {
            seen.clear();
            open = true;
            notifyAll();
        }

        synchronized Map<Long, Long> end() {
            open = false;
            return new HashMap<>(seen);
        }

        @Override
        public void run() {
            Map<Long, Long> sample = new HashMap<>();
            try {
                while (true) {
                    synchronized (this) {
                        while (!open) {
                            wait();
                        }
                    }
                    sample.clear();
                    readAllocated(sample);
                    synchronized (this) {
                        if (open) {
                            seen.putAll(sample);
                        }
                    }
                    Thread.sleep(SAMPLE_MILLIS);
                }
            } catch (InterruptedException e) {
                // the JVM is ending
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
                } catch (IOException e) {
                    // A task that ends between the open and the read fails the read with ESRCH.
                    if (!"No such process".equals(e.getMessage())) {
                        throw e;
                    }
                }
            }
        }
        return out;
    }
}
