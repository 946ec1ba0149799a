package dev.helios4j;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One item of a {@link Batch}'s input: its position, the key its answer is journaled under, and
 * its fields (a CSV row's columns, a JSON object's members, a map's entries; a plain string is the
 * one field {@code text}). Immutable.
 *
 * @param index the row's position in the input, from 0
 * @param key the row's key in the journal: the key field's value, or the index as text; never null
 * @param fields the row's fields by name, in input order; never null
 */
public record BatchRow(long index, String key, Map<String, String> fields) {

    /** Checks the components and freezes the fields. */
    public BatchRow {
        Objects.requireNonNull(key, "key");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /**
     * @param name a field's name; never null
     * @return its value
     * @throws InvalidRequestException naming the fields this row has, when it has no such field
     */
    public String get(String name) {
        String v = fields.get(name);
        if (v == null && !fields.containsKey(name)) {
            throw new InvalidRequestException("Row " + index + " has no field '" + name + "'; its fields are "
                    + fields.keySet() + ".");
        }
        return v == null ? "" : v;
    }

    /** @return the only field's value, or the field {@code text}: what a list of strings gives */
    public String text() {
        return fields.size() == 1 ? fields.values().iterator().next() : get("text");
    }
}
