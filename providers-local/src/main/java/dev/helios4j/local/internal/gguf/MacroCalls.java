package dev.helios4j.local.internal.gguf;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The calls a template's macros make on every render (outside any condition or loop). A macro
 * that reaches itself through such calls recurses until minja overflows the native stack; one
 * that calls itself only under a condition may stop, and is not reported.
 */
final class MacroCalls {
    private final Map<String, Set<String>> always = new LinkedHashMap<>();

    void define(String macro) {
        always.putIfAbsent(macro, new HashSet<>());
    }

    void alwaysCalls(String macro, String callee) {
        always.computeIfAbsent(macro, m -> new HashSet<>()).add(callee);
    }

    /** A macro that always calls itself, directly or through others, quoted; or null. */
    String cycle() {
        for (String start : always.keySet()) {
            Deque<String> todo = new ArrayDeque<>(always.get(start));
            Set<String> seen = new HashSet<>();
            while (!todo.isEmpty()) {
                String next = todo.pop();
                if (next.equals(start)) {
                    return "'" + start + "'";
                }
                if (seen.add(next) && always.containsKey(next)) {
                    todo.addAll(always.get(next));
                }
            }
        }
        return null;
    }
}
