package dev.helios4j.remote;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker threads of one engine's HTTP client: a few, reused, daemon (an open client never keeps
 * a JVM alive), and named so a thread dump says whose they are. Without an executor the JDK's
 * client uses an unbounded cached pool.
 */
final class HttpThreads {
    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /** Idle workers end after this, so a client left open costs no threads while unused. */
    private static final long KEEP_ALIVE_SECONDS = 30;

    private HttpThreads() {
    }

    static ExecutorService newPool() {
        int size = Math.max(2, Runtime.getRuntime().availableProcessors());
        String prefix = "helios4j-openai-" + CLIENTS.incrementAndGet() + "-http-";
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread t = new Thread(task, prefix + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
