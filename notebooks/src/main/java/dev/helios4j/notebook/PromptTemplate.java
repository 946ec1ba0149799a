package dev.helios4j.notebook;

/**
 * Fills a {@code %%llm} cell's text: {@code {name}} becomes the value of the notebook variable
 * {@code name}; {@code {{} and {@code }}} write one brace, as in jupyter-ai's {@code %%ai} (and
 * Python's {@code str.format}). Braces around anything but a Java identifier stay as written, so a
 * question holding code or JSON needs no escaping unless it holds a {@code {word}}.
 */
final class PromptTemplate {

    /** Reads a variable of the notebook's session. */
    @FunctionalInterface
    interface Variables {
        /**
         * @return the variable's value, possibly null
         * @throws Exception when there is no such variable or it cannot be read
         */
        Object value(String name) throws Exception;
    }

    private PromptTemplate() {
    }

    static String fill(String text, Variables variables) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
                out.append(c);
                i += 2;
                continue;
            }
            int close = c == '{' ? text.indexOf('}', i + 1) : -1;
            if (close > 0 && isIdentifier(text, i + 1, close)) {
                out.append(read(variables, text.substring(i + 1, close)));
                i = close + 1;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static String read(Variables variables, String name) {
        try {
            return String.valueOf(variables.value(name));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MagicUsageException("Stopped while reading {" + name + "}.");
        } catch (Exception e) {
            throw new MagicUsageException("{" + name + "}: no variable '" + name + "' in this notebook. Define it in a cell"
                    + " above (var " + name + " = \"…\";), or write {{" + name + "}} to keep the braces.");
        }
    }

    private static boolean isIdentifier(String text, int from, int to) {
        if (from >= to || !Character.isJavaIdentifierStart(text.charAt(from))) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            if (!Character.isJavaIdentifierPart(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
