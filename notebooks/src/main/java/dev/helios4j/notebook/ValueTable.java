package dev.helios4j.notebook;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A typed answer as a small table: a record as "component | value" rows, a list of records as one
 * row per element with the components as columns, other lists as bullet lists; nested records and
 * lists nest. The plain twin is the same in indented text, for JShell and terminals.
 */
final class ValueTable {
    private static final String NONE = "\u2014"; // an empty Optional or a null

    private ValueTable() {
    }

    static Output of(Object value) {
        return Output.html(html(value), plain(value, ""));
    }

    static String html(Object value) {
        Object v = unwrap(value);
        if (v != null && v.getClass().isRecord()) {
            StringBuilder s = new StringBuilder("<table>");
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                s.append("<tr><th style=\"text-align:left\">").append(Markdown.escapeHtml(c.getName()))
                        .append("</th><td style=\"text-align:left\">").append(html(read(c, v))).append("</td></tr>");
            }
            return s.append("</table>").toString();
        }
        List<Object> items = items(v);
        if (items == null) {
            return Markdown.escapeHtml(v == null ? NONE : String.valueOf(v));
        }
        if (!items.isEmpty() && items.stream().allMatch(i -> i != null && i.getClass() == items.get(0).getClass()
                && i.getClass().isRecord())) {
            RecordComponent[] columns = items.get(0).getClass().getRecordComponents();
            StringBuilder s = new StringBuilder("<table><tr>");
            for (RecordComponent c : columns) {
                s.append("<th style=\"text-align:left\">").append(Markdown.escapeHtml(c.getName())).append("</th>");
            }
            s.append("</tr>");
            for (Object item : items) {
                s.append("<tr>");
                for (RecordComponent c : columns) {
                    s.append("<td style=\"text-align:left\">").append(html(read(c, item))).append("</td>");
                }
                s.append("</tr>");
            }
            return s.append("</table>").toString();
        }
        StringBuilder s = new StringBuilder("<ul>");
        for (Object item : items) {
            s.append("<li>").append(html(item)).append("</li>");
        }
        return s.append("</ul>").toString();
    }

    static String plain(Object value, String indent) {
        Object v = unwrap(value);
        if (v != null && v.getClass().isRecord()) {
            StringBuilder s = new StringBuilder();
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                Object part = unwrap(read(c, v));
                boolean nested = part != null && (part.getClass().isRecord() || items(part) != null);
                s.append(s.length() == 0 ? "" : "\n").append(indent).append(c.getName()).append(':')
                        .append(nested ? "\n" + plain(part, indent + "  ") : " " + plain(part, ""));
            }
            return s.toString();
        }
        List<Object> items = items(v);
        if (items == null) {
            return v == null ? NONE : String.valueOf(v);
        }
        StringBuilder s = new StringBuilder();
        for (Object item : items) {
            Object part = unwrap(item);
            boolean nested = part != null && (part.getClass().isRecord() || items(part) != null);
            s.append(s.length() == 0 ? "" : "\n").append(indent).append("- ")
                    .append(nested ? plain(part, indent + "  ").stripLeading() : plain(part, ""));
        }
        return s.toString();
    }

    private static Object unwrap(Object value) {
        return value instanceof Optional<?> o ? o.orElse(null) : value;
    }

    /** The elements of a collection or array, or null for anything else. */
    private static List<Object> items(Object v) {
        if (v instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (v != null && v.getClass().isArray()) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < Array.getLength(v); i++) {
                out.add(Array.get(v, i));
            }
            return out;
        }
        return null;
    }

    private static Object read(RecordComponent c, Object record) {
        try {
            c.getAccessor().setAccessible(true); // records declared in a notebook cell or a test are not public
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
