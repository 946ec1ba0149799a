package dev.helios4j.remote.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.helios4j.ChatMessage;
import dev.helios4j.Role;
import dev.helios4j.ToolCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Chat messages in the OpenAI format, written in one place: the remote provider's
 * {@code /chat/completions} bodies, and the local provider's template requests (llama-server's
 * {@code /apply-template}, java-llama.cpp's {@code applyTemplate}), so a conversation renders the
 * same on every path. Not API: the packages named {@code internal} may change in any release.
 */
public final class MessagesJson {
    private static final JsonFactory JSON = new JsonFactory();

    private MessagesJson() {
    }

    /**
     * A template request: {@code {"messages":[…]}}, UTF-8.
     *
     * @param messages the conversation; never null
     * @return the body of llama-server's {@code /apply-template}, which java-llama.cpp reads too
     */
    public static byte[] templateRequest(List<ChatMessage> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 64 * messages.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeFieldName("messages");
            writeArray(g, messages);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return out.toByteArray();
    }

    /**
     * Writes the messages as a JSON array at the generator's position.
     *
     * @param g where to write; the caller opens and closes what holds the array
     * @param messages the conversation; never null
     * @throws IOException as the generator does
     */
    public static void writeArray(JsonGenerator g, List<ChatMessage> messages) throws IOException {
        g.writeStartArray();
        for (ChatMessage m : messages) {
            write(g, m);
        }
        g.writeEndArray();
    }

    private static void write(JsonGenerator g, ChatMessage m) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", m.role().wireName());
        if (m.role() == Role.ASSISTANT && !m.toolCalls().isEmpty() && m.content().isEmpty()) {
            g.writeNullField("content"); // what OpenAI itself sends; some servers reject "" beside tool calls
        } else {
            g.writeStringField("content", m.content());
        }
        if (!m.toolCalls().isEmpty()) {
            g.writeArrayFieldStart("tool_calls");
            for (ToolCall call : m.toolCalls()) {
                g.writeStartObject();
                g.writeStringField("id", call.id());
                g.writeStringField("type", "function");
                g.writeObjectFieldStart("function");
                g.writeStringField("name", call.name());
                g.writeStringField("arguments", call.arguments()); // a JSON text inside a string, as the API wants
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (m.role() == Role.TOOL) {
            g.writeStringField("tool_call_id", m.toolCallId());
        }
        g.writeEndObject();
    }
}
