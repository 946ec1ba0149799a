package dev.helios4j.notebook;

import dev.helios4j.ChatRequest;
import dev.helios4j.InvalidRequestException;
import java.util.List;

/**
 * The arguments of {@code %%llm [MODEL] [--system "…"] [--temperature T] [--max-tokens N] [--chat]},
 * as the kernel split them (both kernels strip the quotes of a quoted argument). An option's value
 * may also follow an {@code =}: {@code --max-tokens=64}.
 *
 * @param spec the model for this cell, or null for the session's
 * @param system instructions for the model, or null
 * @param temperature or null for the model's default
 * @param maxTokens or null for the model's default
 * @param chat whether the cell continues the session's conversation
 */
record MagicOptions(String spec, String system, Double temperature, Integer maxTokens, boolean chat) {
    static final String SYNOPSIS = "%%llm [MODEL] [--system \"…\"] [--temperature T] [--max-tokens N] [--chat]";

    static MagicOptions parse(List<String> args) {
        String spec = null;
        String system = null;
        Double temperature = null;
        Integer maxTokens = null;
        boolean chat = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                if (spec != null) {
                    throw new MagicUsageException("Only one model may follow %%llm, got '" + spec + "' and '" + arg
                            + "'. Put the question on the lines below, and quote text with spaces: --system \"Be terse.\"");
                }
                spec = arg;
                continue;
            }
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (name.equals("--chat")) {
                if (eq >= 0) {
                    throw new MagicUsageException("--chat takes no value; write --chat alone.");
                }
                chat = true;
                continue;
            }
            if (!name.equals("--system") && !name.equals("--temperature") && !name.equals("--max-tokens")) {
                throw new MagicUsageException("Unknown option " + name + ". Use: " + SYNOPSIS);
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new MagicUsageException(name + " needs a value, e.g. " + example(name));
            }
            switch (name) {
                case "--system" -> system = value;
                case "--temperature" -> temperature = number(name, value);
                default -> maxTokens = count(name, value);
            }
        }
        check(temperature, maxTokens);
        return new MagicOptions(spec, system, temperature, maxTokens, chat);
    }

    /** Applies the sampling options to a request being built. */
    ChatRequest.Builder applyTo(ChatRequest.Builder b) {
        if (temperature != null) {
            b.temperature(temperature);
        }
        if (maxTokens != null) {
            b.maxTokens(maxTokens);
        }
        return b;
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new MagicUsageException(name + " needs a number, got '" + value + "'; e.g. " + example(name));
        }
    }

    private static int count(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new MagicUsageException(name + " needs a whole number, got '" + value + "'; e.g. " + example(name));
        }
    }

    /** Lets the request's own checks judge the numbers, so the magic and the API agree on the ranges. */
    private static void check(Double temperature, Integer maxTokens) {
        try {
            new MagicOptions(null, null, temperature, maxTokens, false).applyTo(ChatRequest.builder().user("-")).build();
        } catch (InvalidRequestException e) {
            throw new MagicUsageException(e.getMessage());
        }
    }

    private static String example(String name) {
        return switch (name) {
            case "--system" -> "--system \"Be terse.\"";
            case "--temperature" -> "--temperature 0.2";
            default -> "--max-tokens 256";
        };
    }
}
