package dev.helios4j;

import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name the name the model uses to call it; letters, digits, {@code _} and {@code -}
 * @param description what it does, for the model; never null, may be empty
 * @param parametersSchema a JSON Schema object text describing the arguments; never null
 */
public record Tool(String name, String description, String parametersSchema) {
    /** Checks the components; see the class description for the contract. */
    public Tool {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new InvalidRequestException("A tool name must be 1 to 64 letters, digits, '_' or '-', got: "
                    + name);
        }
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(parametersSchema, "parametersSchema");
    }

    /**
     * A tool that takes no arguments.
     *
     * @param name the tool's name
     * @param description what it does
     * @return the tool
     */
    public static Tool of(String name, String description) {
        return new Tool(name, description, "{\"type\":\"object\",\"properties\":{}}");
    }
}
