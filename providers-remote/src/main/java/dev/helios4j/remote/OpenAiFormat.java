package dev.helios4j.remote;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.ChatMessage;
import java.util.List;

/**
 * The OpenAI chat format as this provider writes it, for code that talks to an OpenAI-compatible
 * server beyond {@code /chat/completions} (the local provider's engine processes use llama-server's
 * {@code /apply-template}): one writer of messages, so both paths send exactly the same JSON.
 */
public final class OpenAiFormat {
    private static final RequestWriter WRITER = new RequestWriter(new ObjectMapper());

    private OpenAiFormat() {
    }

    /**
     * @param messages the messages; never null
     * @return them as the JSON array of a chat request's {@code messages}, UTF-8
     */
    public static byte[] messages(List<ChatMessage> messages) {
        return WRITER.writeMessages(messages);
    }
}
