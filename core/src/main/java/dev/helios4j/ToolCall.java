package dev.helios4j;

import java.util.Objects;

/**
 * A request by the model to call a tool.
 *
 * @param id the id a tool result must answer; never null, may be empty when a provider has none
 * @param name the tool's name; never null or blank
 * @param arguments the arguments as a JSON object text, as the model wrote them; never null
 */
public record ToolCall(String id, String name, String arguments) {
    /** Checks the components; see the class description for the contract. */
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(arguments, "arguments");
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("A tool call needs a tool name.");
        }
    }
}
