package dev.helios4j.local.internal;

import dev.helios4j.ChatMessage;
import dev.helios4j.remote.OpenAiFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns chat messages into the prompt text the model was trained on, with the model's own chat
 * template, through llama.cpp's OpenAI-compatible parser: tool calls and tool results travel as
 * the template expects them (templates without tool support get llama.cpp's rendering of them).
 */
final class PromptRenderer {
    private PromptRenderer() {
    }

    /**
     * The OpenAI-style request body whose "messages" llama.cpp renders with the template, written
     * by the remote provider's one writer of the format, so a conversation renders the same here as
     * through a llama-server's {@code /apply-template}.
     */
    static String messagesJson(List<ChatMessage> messages) {
        return "{\"messages\":" + new String(OpenAiFormat.messages(messages), StandardCharsets.UTF_8) + "}";
    }
}
