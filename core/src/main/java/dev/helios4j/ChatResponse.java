package dev.helios4j;

import java.util.List;
import java.util.Objects;

/**
 * The model's answer to one {@link ChatRequest}. Immutable.
 *
 * @param message the assistant message: text and any tool calls; never null
 * @param usage the token counts; {@link Usage#UNKNOWN} when the provider cannot know them; never null
 * @param finishReason why the answer ended; never null
 * @param timings how long it took; never null
 * @param model the model that answered, as the provider names it; never null, may be empty
 */
public record ChatResponse(ChatMessage message, Usage usage, FinishReason finishReason, Timings timings,
                           String model) {

    /** Checks the components; see the class description for the contract. */
    public ChatResponse {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(timings, "timings");
        model = model == null ? "" : model;
        if (message.role() != Role.ASSISTANT) {
            throw new IllegalArgumentException("a response holds an assistant message, not " + message.role());
        }
    }

    /** @return the answer's text; never null */
    public String text() {
        return message.content();
    }

    /** @return the tools the model asked to call; empty when none */
    public List<ToolCall> toolCalls() {
        return message.toolCalls();
    }

    /** @return a copy of this response with other timings */
    public ChatResponse withTimings(Timings newTimings) {
        return new ChatResponse(message, usage, finishReason, newTimings, model);
    }

    /** @return the text, then one line with the finish reason, usage and timings */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(text());
        if (!toolCalls().isEmpty()) {
            s.append(text().isEmpty() ? "" : "\n").append("tool calls: ").append(toolCalls());
        }
        return s.append("\n[").append(model.isEmpty() ? "" : model + ", ")
                .append(finishReason.name().toLowerCase(java.util.Locale.ROOT)).append(", ")
                .append(usage).append(", ").append(timings).append(']').toString();
    }
}
