package dev.helios4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where a batch's rows come from, read one at a time on the caller's thread. Files are read
 * twice: once to count the rows (for the progress bar's ETA), once to ask them; neither pass holds
 * more than a row.
 */
abstract class BatchInput implements AutoCloseable {
    private final String keyField;
    private long index;

    BatchInput(String keyField) {
        this.keyField = keyField;
    }

    /** @return rows in the input, or -1 when not known in advance */
    abstract long total();

    /** @return the next row's fields, or null at the end */
    abstract Map<String, String> nextFields() throws IOException;

    /** @return the next row, or null at the end */
    BatchRow next() {
        Map<String, String> fields;
        try {
            fields = nextFields();
        } catch (IOException e) {
            throw new LlmException("Could not read row " + index + " of the batch's input: " + e.getMessage()
                    + ". Fix the input and run again; with a journal, the rows already answered are not asked again.",
                    e);
        }
        if (fields == null) {
            return null;
        }
        long i = index++;
        String key;
        if (keyField == null) {
            key = Long.toString(i);
        } else {
            key = fields.get(keyField);
            if (key == null || key.isEmpty()) {
                throw new InvalidRequestException("Row " + i + " has no value for the key field '" + keyField
                        + "'; its fields are " + fields.keySet() + ". Give every row a key, or leave key(...) out to key "
                        + "rows by their position.");
            }
        }
        return new BatchRow(i, key, fields);
    }

    @Override
    public void close() {
    }

    static Map<String, String> fieldsOf(Object item) {
        if (item instanceof BatchRow r) {
            return r.fields();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (item instanceof Map<?, ?> m) {
            m.forEach((k, v) -> fields.put(String.valueOf(k), text(v)));
        } else {
            fields.put("text", text(item));
        }
        return fields;
    }

    private static String text(Object v) {
        if (v == null || v instanceof String) {
            return (String) v;
        }
        if (v instanceof Map || v instanceof List) {
            return JsonText.write(new StringBuilder(), v).toString();
        }
        return v.toString();
    }

    static BatchInput of(Iterator<?> items, long total, String keyField, AutoCloseable onClose) {
        return new BatchInput(keyField) {
            @Override
            long total() {
                return total;
            }

            @Override
            Map<String, String> nextFields() {
                return items.hasNext() ? fieldsOf(items.next()) : null;
            }

            @Override
            public void close() {
                try {
                    if (onClose != null) {
                        onClose.close();
                    }
                } catch (Exception e) {
                    // nothing to report: the input was only read
                }
            }
        };
    }

    static BatchInput csv(Path file, String keyField) {
        long total;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            CsvRecords records = new CsvRecords(r);
            total = -1; // the header
            while (records.next() != null) {
                total++;
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        BufferedReader reader = open(file);
        CsvRecords records = new CsvRecords(reader);
        List<String> header;
        try {
            header = records.next();
        } catch (IOException e) {
            closeQuietly(reader);
            throw unreadable(file, e);
        }
        if (header == null) {
            closeQuietly(reader);
            throw new InvalidRequestException("The CSV file " + file + " is empty; its first line must name the columns.");
        }
        if (!header.isEmpty() && header.get(0).startsWith("\uFEFF")) {
            header.set(0, header.get(0).substring(1));
        }
        long rows = Math.max(0, total);
        return new BatchInput(keyField) {
            @Override
            long total() {
                return rows;
            }

            @Override
            Map<String, String> nextFields() throws IOException {
                long at = records.line();
                List<String> values = records.next();
                if (values == null) {
                    return null;
                }
                if (values.size() != header.size()) {
                    throw new IOException("line " + at + " of " + file + " has " + values.size() + " fields where the "
                            + "header has " + header.size() + " " + header);
                }
                Map<String, String> fields = new LinkedHashMap<>();
                for (int k = 0; k < header.size(); k++) {
                    fields.put(header.get(k), values.get(k));
                }
                return fields;
            }

            @Override
            public void close() {
                closeQuietly(reader);
            }
        };
    }

    static BatchInput jsonLines(Path file, String keyField) {
        long total = 0;
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            total = lines.filter(l -> !l.isBlank()).count();
        } catch (IOException | UncheckedIOException e) {
            throw unreadable(file, e);
        }
        BufferedReader reader = open(file);
        long rows = total;
        return new BatchInput(keyField) {
            private long line;

            @Override
            long total() {
                return rows;
            }

            @Override
            Map<String, String> nextFields() throws IOException {
                String text;
                do {
                    text = reader.readLine();
                    line++;
                } while (text != null && text.isBlank());
                if (text == null) {
                    return null;
                }
                Object value;
                try {
                    value = JsonText.parse(text);
                } catch (IllegalArgumentException e) {
                    throw new IOException("line " + line + " of " + file + " is " + e.getMessage());
                }
                return fieldsOf(value);
            }

            @Override
            public void close() {
                closeQuietly(reader);
            }
        };
    }

    private static BufferedReader open(Path file) {
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static InvalidRequestException unreadable(Path file, Exception e) {
        return new InvalidRequestException("Could not read the batch's input " + file.toAbsolutePath() + ": " + e
                + ". Check the path and that the file is UTF-8 text.", e);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // only read
        }
    }
}
