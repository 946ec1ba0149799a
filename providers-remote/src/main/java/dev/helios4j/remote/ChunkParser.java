package dev.helios4j.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;

/**
 * Reads one {@code chat.completion.chunk} (or a whole {@code chat.completion}, whose
 * {@code message} is read like a {@code delta}) straight from the event's bytes with Jackson's
 * streaming parser, and tells what it finds to {@link ChunkEvents} (an {@link Answer}). No tree, no String per field name (Jackson interns
 * them), unknown fields skipped: this runs once per token, so it is kept lean.
 *
 * <p>One non-blocking parser per answer, fed each chunk in turn, rather than a parser per chunk:
 * creating a parser (its context objects, symbol table and buffers) cost ~800 bytes and about half
 * the CPU of a ~300-byte chunk. The parser lives in {@link Answer#json}; since a chunk is always
 * fed whole, running out of input inside a value means the chunk was cut short.
 */
final class ChunkParser {
    private final JsonFactory json;

    ChunkParser(JsonFactory json) {
        this.json = json;
    }

    /** A content chunk, a tool call's piece and a usage chunk, in the exact shape servers send them. */
    private static final String[] SAMPLE = {
        "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"role\":\"assistant\",\"content\":\"caf\\u00e9 \u00e9t\u00e9 \\\"q\\\"\"},\"logprobs\":null,"
                + "\"finish_reason\":null}],\"usage\":null}",
        "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
        "{\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0}}}",
    };

    /**
     * Parses a few typical chunks once, so that the JSON classes a stream needs are initialised
     * before the first answer. JShell stops a snippet by throwing into its thread; thrown inside a
     * class's static initialiser, that leaves the class unusable until the JVM ends ("Could not
     * initialize class" on every later call), and the first chunk of the first answer is where
     * most of Jackson's parsing classes would otherwise load.
     */
    void warmUp() {
        Answer answer = new Answer(dev.helios4j.StreamListener.NONE);
        try {
            for (String chunk : SAMPLE) {
                byte[] bytes = chunk.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                parse(bytes, 0, bytes.length, answer);
            }
        } catch (IOException e) {
            throw new IllegalStateException("The built-in sample chunks no longer parse", e);
        } finally {
            answer.closeJson();
        }
    }

    /** Reads one chunk, fed whole, with the answer's parser, and tells the answer what it holds. */
    void parse(byte[] data, int offset, int length, Answer answer) throws IOException {
        ChunkEvents events = answer;
        JsonParser p = answer.json;
        if (p == null) {
            p = json.createNonBlockingByteArrayParser();
            answer.json = p;
        }
        boolean parsed = false;
        try {
            ((ByteArrayFeeder) p.getNonBlockingInputFeeder()).feedInput(data, offset, offset + length);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, "a chunk must be a JSON object");
            }
            while (next(p) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = next(p);
                switch (field) {
                    case "choices" -> choices(p, events);
                    case "usage" -> usage(p, events);
                    case "timings" -> timings(p, events);
                    case "model" -> {
                        if (value == JsonToken.VALUE_STRING && !events.knowsModel()) {
                            events.model(p.getText());
                        }
                    }
                    case "error" -> {
                        if (value != JsonToken.VALUE_NULL) {
                            events.error();
                        }
                        skip(p);
                    }
                    default -> skip(p);
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != JsonToken.NOT_AVAILABLE) {
                throw new JsonParseException(p, "unexpected content after the chunk");
            }
            parsed = true;
        } finally {
            if (!parsed) {
                answer.closeJson(); // a parser that failed mid-chunk is not fed again
            }
        }
    }

    /** The next token of a chunk that was fed whole: running out of input means it was cut short. */
    private static JsonToken next(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.NOT_AVAILABLE) {
            throw new JsonParseException(p, "the chunk ends inside a JSON value");
        }
        return t;
    }

    /** Skips the current value, saying plainly when the chunk was cut short (Jackson's skipChildren does not). */
    private static void skip(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        for (int depth = 1; depth > 0; ) {
            t = next(p);
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
        }
    }

    private static void choices(JsonParser p, ChunkEvents events) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            skip(p); // null, as some servers send beside a usage-only chunk
            return;
        }
        while (next(p) == JsonToken.START_OBJECT) {
            while (next(p) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = next(p);
                switch (field) {
                    case "delta", "message" -> delta(p, events);
                    case "finish_reason" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            events.finishReason(p.getText());
                        }
                    }
                    case "stop_reason" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            events.stopReason(p.getText());
                        }
                    }
                    default -> skip(p);
                }
            }
        }
    }

    private static void delta(JsonParser p, ChunkEvents events) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            skip(p);
            return;
        }
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = next(p);
            switch (field) {
                case "content" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        events.content(p.getText());
                    }
                }
                case "refusal" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        events.refusal(p.getText());
                    }
                }
                case "tool_calls" -> toolCalls(p, events);
                default -> skip(p);
            }
        }
    }

    private static void toolCalls(JsonParser p, ChunkEvents events) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            skip(p);
            return;
        }
        int position = 0;
        while (next(p) == JsonToken.START_OBJECT) {
            int index = position++; // a whole message's calls carry no index: their order is it
            String id = null;
            String name = null;
            String arguments = null;
            while (next(p) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = next(p);
                switch (field) {
                    case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : index;
                    case "id" -> id = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "function" -> {
                        if (value != JsonToken.START_OBJECT) {
                            skip(p);
                            continue;
                        }
                        while (next(p) == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = next(p);
                            if (f.equals("name") && v == JsonToken.VALUE_STRING) {
                                name = p.getText();
                            } else if (f.equals("arguments") && v == JsonToken.VALUE_STRING) {
                                arguments = p.getText();
                            } else if (f.equals("arguments") && v == JsonToken.START_OBJECT) {
                                arguments = objectText(p); // a few servers send an object, not a string
                            } else {
                                skip(p);
                            }
                        }
                    }
                    default -> skip(p);
                }
            }
            events.toolCallDelta(index, id, name, arguments);
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

    private static void usage(JsonParser p, ChunkEvents events) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            skip(p); // "usage": null on every chunk but the last, from OpenAI
            return;
        }
        int prompt = -1;
        int completion = -1;
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = next(p);
            if (value != JsonToken.VALUE_NUMBER_INT) {
                skip(p);
            } else if (field.equals("prompt_tokens")) {
                prompt = p.getIntValue();
            } else if (field.equals("completion_tokens")) {
                completion = p.getIntValue();
            }
        }
        events.usage(prompt, completion);
    }

    /** llama.cpp's own figures: its generation speed, and token counts for servers without usage. */
    private static void timings(JsonParser p, ChunkEvents events) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            skip(p);
            return;
        }
        double perSecond = Double.NaN;
        int predicted = -1;
        int cached = 0;
        int prompt = -1;
        while (next(p) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = next(p);
            if (!value.isNumeric()) {
                skip(p);
                continue;
            }
            switch (field) {
                case "predicted_per_second" -> perSecond = p.getDoubleValue();
                case "predicted_n" -> predicted = p.getIntValue();
                case "prompt_n" -> prompt = p.getIntValue();
                case "cache_n" -> cached = p.getIntValue();
                default -> { }
            }
        }
        events.timings(perSecond, prompt >= 0 ? prompt + cached : -1, predicted);
    }
}
