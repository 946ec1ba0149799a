package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helios4j.EmbeddingResponse;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.local.internal.LlamaEngine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/embeddings} in the OpenAI-compatible format llama-server gives it: {@code input}
 * is a string or a list of strings; the answer lists one pooled, normalised vector per input with
 * its {@code index}, and the prompt tokens. The model is loaded for embeddings on the first call,
 * in this process (see {@link LlamaEngine#embed}).
 */
final class ServedEmbeddings {
    private ServedEmbeddings() {
    }

    static byte[] handle(ObjectMapper json, LlamaEngine engine, String model, byte[] body) throws IOException {
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (IOException e) {
            throw new InvalidRequestException("The request body is not JSON: " + e.getMessage());
        }
        List<String> texts = texts(request == null ? null : request.get("input"));
        String format = request.path("encoding_format").asText("float");
        if (!format.equals("float")) {
            throw new InvalidRequestException("encoding_format '" + format + "' is not supported here; send \"float\".");
        }
        EmbeddingResponse r = engine.embed(texts);
        ObjectNode answer = json.createObjectNode();
        answer.put("model", request.path("model").asText(model));
        answer.put("object", "list");
        answer.putObject("usage").put("prompt_tokens", r.usage().promptTokens())
                .put("total_tokens", r.usage().promptTokens());
        ArrayNode data = answer.putArray("data");
        for (int i = 0; i < r.vectors().size(); i++) {
            ObjectNode item = data.addObject();
            ArrayNode values = item.putArray("embedding");
            for (float x : r.vectors().get(i)) {
                values.add(x);
            }
            item.put("index", i);
            item.put("object", "embedding");
        }
        return json.writeValueAsBytes(answer);
    }

    private static List<String> texts(JsonNode input) {
        if (input != null && input.isTextual()) {
            return List.of(input.asText());
        }
        if (input == null || !input.isArray() || input.isEmpty()) {
            throw new InvalidRequestException("\"input\" must be a text or a non-empty list of texts.");
        }
        List<String> texts = new ArrayList<>();
        for (JsonNode t : input) {
            if (!t.isTextual()) {
                throw new InvalidRequestException("Every element of \"input\" must be a text; token lists are not "
                        + "supported here.");
            }
            texts.add(t.asText());
        }
        return texts;
    }
}
