package dev.helios4j;

import java.util.ArrayList;
import java.util.List;

/**
 * A prompt with {@code {field}} holes filled from a {@link BatchRow}: {@code "Classify: {text}"}.
 * <code>{{</code> and <code>}}</code> stand for literal braces. Parsed once; a hole naming a field the row
 * lacks fails with the fields it has.
 */
final class PromptTemplate {
    private final String source;
    private final List<String> literals = new ArrayList<>();
    private final List<String> holes = new ArrayList<>();

    PromptTemplate(String source) {
        this.source = source;
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '{' && i + 1 < source.length() && source.charAt(i + 1) == '{') {
                literal.append('{');
                i += 2;
            } else if (c == '}' && i + 1 < source.length() && source.charAt(i + 1) == '}') {
                literal.append('}');
                i += 2;
            } else if (c == '{') {
                int end = source.indexOf('}', i);
                if (end < 0) {
                    throw new InvalidRequestException("The prompt template has a '{' at character " + (i + 1)
                            + " that is not closed: write {field} for a row's field, or {{ for a literal brace.");
                }
                String name = source.substring(i + 1, end).strip();
                if (name.isEmpty()) {
                    throw new InvalidRequestException("The prompt template has an empty {} at character " + (i + 1)
                            + ": name a field, such as {text}, or write {{}} for literal braces.");
                }
                literals.add(literal.toString());
                literal.setLength(0);
                holes.add(name);
                i = end + 1;
            } else {
                literal.append(c);
                i++;
            }
        }
        literals.add(literal.toString());
    }

    String fill(BatchRow row) {
        StringBuilder out = new StringBuilder(literals.get(0));
        for (int k = 0; k < holes.size(); k++) {
            String name = holes.get(k);
            String value = row.fields().get(name);
            if (value == null && !row.fields().containsKey(name)) {
                throw new InvalidRequestException("The prompt template names {" + name + "}, but row " + row.index()
                        + " has no such field; its fields are " + row.fields().keySet() + ".");
            }
            out.append(value == null ? "" : value).append(literals.get(k + 1));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
