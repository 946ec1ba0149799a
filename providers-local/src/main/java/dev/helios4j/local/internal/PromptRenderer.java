package dev.helios4j.local.internal;

import dev.helios4j.ChatMessage;
import dev.helios4j.ToolCall;
import java.util.List;

/**
 * Turns chat messages into the prompt text the model was trained on, with the model's own chat
 * template, through llama.cpp's OpenAI-compatible parser: tool calls and tool results travel as
 * the template expects them (templates without tool support get llama.cpp's rendering of them).
 */
final class PromptRenderer {
    private PromptRenderer() {
    }

    /** The OpenAI-style request body whose "messages" llama.cpp renders with the template. */
    static String messagesJson(List<ChatMessage> messages) {
        StringBuilder b = new StringBuilder(256).append("{\"messages\":[");
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"role\":").append(Json.quote(m.role().wireName()))
                    .append(",\"content\":").append(Json.quote(m.content()));
            if (!m.toolCallId().isEmpty()) {
                b.append(",\"tool_call_id\":").append(Json.quote(m.toolCallId()));
            }
            if (!m.toolCalls().isEmpty()) {
                b.append(",\"tool_calls\":[");
                for (int j = 0; j < m.toolCalls().size(); j++) {
                    ToolCall c = m.toolCalls().get(j);
                    b.append(j > 0 ? "," : "").append("{\"id\":").append(Json.quote(c.id()))
                            .append(",\"type\":\"function\",\"function\":{\"name\":").append(Json.quote(c.name()))
                            .append(",\"arguments\":").append(Json.quote(c.arguments())).append("}}");
                }
                b.append(']');
            }
            b.append('}');
        }
        return b.append("]}").toString();
    }
}
