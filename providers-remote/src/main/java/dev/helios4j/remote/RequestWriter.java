package dev.helios4j.remote;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.ChatRequest;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.ResponseFormat;
import dev.helios4j.Tool;
import dev.helios4j.ToolChoice;
import dev.helios4j.remote.internal.MessagesJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Writes a {@link ChatRequest} as the JSON body of {@code POST /chat/completions}. Only settings
 * the caller set are sent, so each server's own defaults apply to the rest.
 */
final class RequestWriter {

    private final ObjectMapper mapper;

    RequestWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @param model the model to name; empty leaves the field out (single-model servers ignore it) */
    byte[] write(ChatRequest request, String model, boolean maxCompletionTokens, boolean includeUsage) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 64 * request.messages().size());
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            if (!model.isEmpty()) {
                g.writeStringField("model", model);
            }
            g.writeFieldName("messages");
            MessagesJson.writeArray(g, request.messages());
            if (request.temperature() != null) {
                g.writeNumberField("temperature", request.temperature());
            }
            if (request.topP() != null) {
                g.writeNumberField("top_p", request.topP());
            }
            // Not OpenAI fields, but llama.cpp, vLLM and others read them; sent only when asked for.
            if (request.topK() != null) {
                g.writeNumberField("top_k", request.topK());
            }
            if (request.minP() != null) {
                g.writeNumberField("min_p", request.minP());
            }
            if (request.repeatPenalty() != null) {
                g.writeNumberField("repeat_penalty", request.repeatPenalty()); // llama.cpp's name
                g.writeNumberField("repetition_penalty", request.repeatPenalty()); // vLLM's name
            }
            if (request.maxTokens() != null) {
                g.writeNumberField(maxCompletionTokens ? "max_completion_tokens" : "max_tokens", request.maxTokens());
            }
            if (!request.stop().isEmpty()) {
                g.writeArrayFieldStart("stop");
                for (String s : request.stop()) {
                    g.writeString(s);
                }
                g.writeEndArray();
            }
            if (request.seed() != null) {
                g.writeNumberField("seed", request.seed());
            }
            if (!request.tools().isEmpty()) {
                g.writeArrayFieldStart("tools");
                for (Tool t : request.tools()) {
                    writeTool(g, t);
                }
                g.writeEndArray();
            }
            if (request.toolChoice() != null) {
                writeToolChoice(g, request.toolChoice());
            }
            writeResponseFormat(g, request.responseFormat());
            g.writeBooleanField("stream", true);
            if (includeUsage) {
                g.writeObjectFieldStart("stream_options");
                g.writeBooleanField("include_usage", true);
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory does not fail
        }
        return out.toByteArray();
    }

    private void writeTool(JsonGenerator g, Tool t) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", t.name());
        if (!t.description().isEmpty()) {
            g.writeStringField("description", t.description());
        }
        g.writeFieldName("parameters");
        g.writeTree(json("the parameters schema of the tool '" + t.name() + "'", t.parametersSchema()));
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void writeToolChoice(JsonGenerator g, ToolChoice choice) throws IOException {
        if (choice.mode() != ToolChoice.Mode.TOOL) {
            g.writeStringField("tool_choice", choice.mode().name().toLowerCase(Locale.ROOT));
            return;
        }
        g.writeObjectFieldStart("tool_choice");
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        g.writeStringField("name", choice.toolName());
        g.writeEndObject();
        g.writeEndObject();
    }

    private void writeResponseFormat(JsonGenerator g, ResponseFormat format) throws IOException {
        switch (format.type()) {
            case TEXT -> { } // the default everywhere; leaving it out suits servers that lack the field
            case JSON_OBJECT -> {
                g.writeObjectFieldStart("response_format");
                g.writeStringField("type", "json_object");
                g.writeEndObject();
            }
            case JSON_SCHEMA -> {
                g.writeObjectFieldStart("response_format");
                g.writeStringField("type", "json_schema");
                g.writeObjectFieldStart("json_schema");
                g.writeStringField("name", format.name().isEmpty() ? "response" : format.name());
                if (format.strict()) {
                    g.writeBooleanField("strict", true);
                }
                g.writeFieldName("schema");
                g.writeTree(json("the response format's schema", format.schema()));
                g.writeEndObject();
                g.writeEndObject();
            }
        }
    }

    /** Parses a schema text so that a typo fails here, naming it, instead of as a server's 400. */
    private com.fasterxml.jackson.databind.JsonNode json(String what, String text) {
        try {
            com.fasterxml.jackson.databind.JsonNode node = mapper.readTree(text);
            if (node == null || !node.isObject()) {
                throw new InvalidRequestException(what + " must be a JSON object, got: " + text);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
