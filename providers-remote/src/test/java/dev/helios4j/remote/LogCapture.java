package dev.helios4j.remote;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the lines a class logs through {@code System.Logger} (which the JDK routes to
 * java.util.logging), and counts down when one starting with a prefix appears: a log line is an
 * observed event a test can wait for.
 */
final class LogCapture extends Handler implements AutoCloseable {
    final List<String> lines = new CopyOnWriteArrayList<>();
    private final Logger logger;
    private final String prefix;
    final CountDownLatch seen = new CountDownLatch(1);

    LogCapture(Class<?> source, String prefix) {
        this.logger = Logger.getLogger(source.getName()); // held here so the logger is not collected
        this.prefix = prefix;
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record.getMessage();
        if (message != null) {
            lines.add(message);
            if (message.startsWith(prefix)) {
                seen.countDown();
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
