package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.ResponseFormat;
import dev.helios4j.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code POST /v1/chat/completions} body read into helios4j's request, with llama-server's field
 * names: messages, max_tokens / max_completion_tokens / n_predict, temperature, top_p, top_k,
 * min_p, repeat_penalty, seed, stop (a string or a list), response_format, stream and
 * stream_options.include_usage. Other fields are ignored, as llama-server ignores what it does
 * not know. Bad values are an {@link InvalidRequestException} whose message names the field.
 */
record ServedRequest(ChatRequest chat, boolean stream, boolean includeUsage) {

    static ServedRequest read(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("The request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidRequestException("The request body could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidRequestException("The request body must be a JSON object with \"messages\".");
        }
        JsonNode tools = root.path("tools");
        if (tools.isArray() && !tools.isEmpty()) {
            throw new InvalidRequestException("The llamacpp provider does not offer tools to the model yet; send the "
                    + "request without tools, or use an OpenAI-compatible server (openai:MODEL) for tool calls.");
        }
        ChatRequest.Builder b = ChatRequest.builder().messages(messages(root.path("messages")));
        Integer max = firstInt(root, "max_completion_tokens", "max_tokens", "n_predict");
        if (max != null && max >= 0) {
            b.maxTokens(max); // -1 is llama-server's "no limit"
        }
        if (number(root, "temperature") != null) {
            b.temperature(number(root, "temperature"));
        }
        if (number(root, "top_p") != null) {
            b.topP(number(root, "top_p"));
        }
        Integer topK = firstInt(root, "top_k");
        if (topK != null) {
            b.topK(topK);
        }
        if (number(root, "min_p") != null) {
            b.minP(number(root, "min_p"));
        }
        if (number(root, "repeat_penalty") != null) {
            b.repeatPenalty(number(root, "repeat_penalty"));
        }
        JsonNode seed = root.path("seed");
        if (seed.isIntegralNumber() && seed.asLong() != -1) {
            b.seed(seed.asLong()); // -1 is llama-server's "random"
        }
        b.stop(stops(root.path("stop")));
        b.responseFormat(format(json, root.path("response_format")));
        boolean stream = root.path("stream").asBoolean(false);
        boolean usage = root.path("stream_options").path("include_usage").asBoolean(false);
        return new ServedRequest(b.build(), stream, usage);
    }

    static List<ChatMessage> messages(JsonNode list) {
        if (!list.isArray() || list.isEmpty()) {
            throw new InvalidRequestException("\"messages\" must be a non-empty list of {\"role\", \"content\"} objects.");
        }
        List<ChatMessage> out = new ArrayList<>(list.size());
        for (JsonNode m : list) {
            String role = m.path("role").asText("");
            String content = content(m.path("content"));
            switch (role) {
                case "system", "developer" -> out.add(ChatMessage.system(content));
                case "user" -> out.add(ChatMessage.user(content));
                case "assistant" -> out.add(ChatMessage.assistant(content, toolCalls(m.path("tool_calls"))));
                case "tool" -> out.add(ChatMessage.toolResult(m.path("tool_call_id").asText(""), content));
                default -> throw new InvalidRequestException("A message's \"role\" must be system, developer, user, "
                        + "assistant or tool, got '" + role + "'.");
            }
        }
        return out;
    }

    /** A string, or OpenAI's list of parts, whose text parts are joined; null content is empty. */
    private static String content(JsonNode content) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isMissingNode() || content.isNull()) {
            return "";
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.path("type").asText().equals("text")) {
                    throw new InvalidRequestException("This engine reads text only; a message part of type '"
                            + part.path("type").asText() + "' cannot be used.");
                }
                text.append(part.path("text").asText(""));
            }
            return text.toString();
        }
        throw new InvalidRequestException("A message's \"content\" must be a string or a list of text parts.");
    }

    private static List<ToolCall> toolCalls(JsonNode calls) {
        List<ToolCall> out = new ArrayList<>();
        if (calls.isArray()) {
            for (JsonNode c : calls) {
                JsonNode f = c.path("function");
                JsonNode args = f.path("arguments");
                out.add(new ToolCall(c.path("id").asText(""), f.path("name").asText(""),
                        args.isTextual() ? args.asText() : args.toString()));
            }
        }
        return out;
    }

    private static String[] stops(JsonNode stop) {
        if (stop.isMissingNode() || stop.isNull()) {
            return new String[0];
        }
        if (stop.isTextual()) {
            return new String[] {stop.asText()};
        }
        if (stop.isArray()) {
            String[] out = new String[stop.size()];
            for (int i = 0; i < out.length; i++) {
                if (!stop.get(i).isTextual()) {
                    throw new InvalidRequestException("\"stop\" must be a string or a list of strings.");
                }
                out[i] = stop.get(i).asText();
            }
            return out;
        }
        throw new InvalidRequestException("\"stop\" must be a string or a list of strings.");
    }

    /** OpenAI's shapes, and llama-server's {@code {"type":"json_object","schema":{...}}}. */
    private static ResponseFormat format(ObjectMapper json, JsonNode f) {
        if (f.isMissingNode() || f.isNull()) {
            return ResponseFormat.text();
        }
        String type = f.path("type").asText("");
        JsonNode schema = f.path("json_schema").path("schema");
        String name = f.path("json_schema").path("name").asText("response");
        if (schema.isMissingNode()) {
            schema = f.path("schema");
        }
        return switch (type) {
            case "text" -> ResponseFormat.text();
            case "json_object", "json_schema" -> schema.isObject()
                    ? ResponseFormat.jsonSchema(name, schema.toString())
                    : type.equals("json_object") ? ResponseFormat.jsonObject() : missingSchema();
            default -> throw new InvalidRequestException("\"response_format.type\" must be text, json_object or "
                    + "json_schema, got '" + type + "'.");
        };
    }

    private static ResponseFormat missingSchema() {
        throw new InvalidRequestException("A json_schema response format needs \"json_schema\": {\"schema\": {...}}.");
    }

    private static Double number(JsonNode root, String field) {
        JsonNode n = root.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw new InvalidRequestException("\"" + field + "\" must be a number, got " + n + ".");
        }
        return n.asDouble();
    }

    private static Integer firstInt(JsonNode root, String... fields) {
        for (String field : fields) {
            JsonNode n = root.path(field);
            if (n.isMissingNode() || n.isNull()) {
                continue;
            }
            if (!n.canConvertToInt() || !n.isIntegralNumber()) {
                throw new InvalidRequestException("\"" + field + "\" must be a whole number, got " + n + ".");
            }
            return n.asInt();
        }
        return null;
    }
}
