package dev.helios4j;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Records what one of core's classes logs through {@link System.Logger}, whose default backend is
 * java.util.logging: the real logging path, with a handler added for the test's duration.
 */
final class LogRecorder extends Handler implements AutoCloseable {
    private final Logger logger; // a strong reference: java.util.logging forgets unreferenced loggers
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogRecorder(Class<?> source) {
        logger = Logger.getLogger(source.getName());
        logger.addHandler(this);
    }

    /** @return the messages logged at WARNING or above, in order */
    List<String> warnings() {
        return records.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogRecord::getMessage).collect(Collectors.toList());
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
