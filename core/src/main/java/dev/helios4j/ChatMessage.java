package dev.helios4j;

import java.util.List;
import java.util.Objects;

/**
 * One message of a chat: who wrote it and what it says. Immutable.
 *
 * <p>Assistant messages may carry {@link #toolCalls()}, with or without text. Tool messages answer
 * one call and carry its {@link #toolCallId()}. Use the static factories; they check these rules.
 *
 * @param role who wrote it; never null
 * @param content the text; never null, may be empty for an assistant message that only calls tools
 * @param toolCalls the tools the assistant asks to call; never null, empty unless role is ASSISTANT
 * @param toolCallId the call a tool message answers; empty unless role is TOOL
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId) {

    /** Checks the components; see the class description for the contract. */
    public ChatMessage {
        if (role == null) {
            throw new InvalidRequestException("A chat message needs a role: system, user, assistant or tool.");
        }
        if (content == null) {
            throw new InvalidRequestException("A " + role.wireName()
                    + " message needs content; use \"\" for an assistant message that only calls tools.");
        }
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        toolCallId = toolCallId == null ? "" : toolCallId;
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new InvalidRequestException("Only assistant messages can carry tool calls, not "
                    + role.wireName() + " messages.");
        }
        if (role == Role.TOOL && toolCallId.isEmpty()) {
            throw new InvalidRequestException(
                    "A tool message must name the call it answers: use ChatMessage.toolResult(callId, text).");
        }
    }

    /**
     * @param text the instructions; never null
     * @return a system message
     */
    public static ChatMessage system(String text) {
        return new ChatMessage(Role.SYSTEM, text, List.of(), "");
    }

    /**
     * @param text what the user says; never null
     * @return a user message
     */
    public static ChatMessage user(String text) {
        return new ChatMessage(Role.USER, text, List.of(), "");
    }

    /**
     * @param text what the model said; never null
     * @return an assistant message
     */
    public static ChatMessage assistant(String text) {
        return new ChatMessage(Role.ASSISTANT, text, List.of(), "");
    }

    /**
     * @param text what the model said besides its calls; never null, may be empty
     * @param calls the tool calls the model made; never null
     * @return an assistant message carrying tool calls
     */
    public static ChatMessage assistant(String text, List<ToolCall> calls) {
        return new ChatMessage(Role.ASSISTANT, text, Objects.requireNonNull(calls, "calls"), "");
    }

    /**
     * @param toolCallId the id of the call this answers; never null or empty
     * @param result the tool's output, usually JSON; never null
     * @return a tool message
     */
    public static ChatMessage toolResult(String toolCallId, String result) {
        return new ChatMessage(Role.TOOL, result, List.of(), toolCallId);
    }

    /** @return a short, readable form: the role and the text */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(role.wireName()).append(": ").append(content);
        if (!toolCalls.isEmpty()) {
            s.append(" ").append(toolCalls);
        }
        return s.toString();
    }
}
