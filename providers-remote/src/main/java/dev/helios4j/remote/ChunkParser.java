package dev.helios4j.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads one {@code chat.completion.chunk} (or a whole {@code chat.completion}, whose
 * {@code message} is read like a {@code delta}) straight from the event's bytes with Jackson's
 * streaming parser, into an {@link Answer}. No tree, no String per field name (Jackson interns
 * them), unknown fields skipped: this runs once per token, so it is kept lean.
 */
final class ChunkParser {
    private final JsonFactory json;

    ChunkParser(JsonFactory json) {
        this.json = json;
    }

    void parse(byte[] data, int offset, int length, Answer answer) throws IOException {
        try (JsonParser p = json.createParser(data, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "a chunk must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "choices" -> choices(p, answer);
                    case "usage" -> usage(p, answer);
                    case "timings" -> timings(p, answer);
                    case "model" -> {
                        if (answer.model == null && value == JsonToken.VALUE_STRING) {
                            answer.model = p.getText();
                        }
                    }
                    case "error" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            answer.errorInChunk = true;
                        }
                        p.skipChildren();
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the chunk");
            }
        }
    }

    private static void choices(JsonParser p, Answer answer) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren(); // null, as some servers send beside a usage-only chunk
            return;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "delta", "message" -> delta(p, answer);
                    case "finish_reason" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            answer.finishReason = p.getText();
                        }
                    }
                    case "stop_reason" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            answer.stopReason = p.getText();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        }
    }

    private static void delta(JsonParser p, Answer answer) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "content" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        answer.content(p.getText());
                    }
                }
                case "refusal" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        answer.refusal(p.getText());
                    }
                }
                case "tool_calls" -> toolCalls(p, answer);
                default -> p.skipChildren();
            }
        }
    }

    private static void toolCalls(JsonParser p, Answer answer) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            p.skipChildren();
            return;
        }
        int position = 0;
        while (p.nextToken() == JsonToken.START_OBJECT) {
            int index = position++; // a whole message's calls carry no index: their order is it
            String id = null;
            String name = null;
            String arguments = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : index;
                    case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "function" -> {
                        if (value != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            continue;
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            if (f.equals("name") && v == JsonToken.VALUE_STRING) {
                                name = p.getText();
                            } else if (f.equals("arguments") && v == JsonToken.VALUE_STRING) {
                                arguments = p.getText();
                            } else if (f.equals("arguments") && v == JsonToken.START_OBJECT) {
                                arguments = objectText(p); // a few servers send an object, not a string
                            } else {
                                p.skipChildren();
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            answer.toolCallDelta(index, id, name, arguments);
        }
    }

    private static String objectText(JsonParser p) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = p.getCodec() == null
                ? new JsonFactory().createGenerator(out) : p.getCodec().getFactory().createGenerator(out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    private static void usage(JsonParser p, Answer answer) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren(); // "usage": null on every chunk but the last, from OpenAI
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value != JsonToken.VALUE_NUMBER_INT) {
                p.skipChildren();
            } else if (field.equals("prompt_tokens")) {
                answer.promptTokens = p.getIntValue();
            } else if (field.equals("completion_tokens")) {
                answer.completionTokens = p.getIntValue();
            }
        }
    }

    /** llama.cpp's own figures: its generation speed, and token counts for servers without usage. */
    private static void timings(JsonParser p, Answer answer) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        int cached = 0;
        int prompt = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (!value.isNumeric()) {
                p.skipChildren();
                continue;
            }
            switch (field) {
                case "predicted_per_second" -> answer.tokensPerSecond = p.getDoubleValue();
                case "predicted_n" -> answer.timingsPredictedTokens = p.getIntValue();
                case "prompt_n" -> prompt = p.getIntValue();
                case "cache_n" -> cached = p.getIntValue();
                default -> { }
            }
        }
        if (prompt >= 0) {
            answer.timingsPromptTokens = prompt + cached;
        }
    }
}
