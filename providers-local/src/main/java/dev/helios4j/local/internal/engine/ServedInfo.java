package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.local.internal.LlamaEngine;
import dev.helios4j.local.internal.gguf.GgufHeader;
import java.io.IOException;
import java.time.Instant;

/**
 * The small endpoints, in llama-server's formats: {@code GET /health}, {@code GET /v1/models},
 * {@code GET /props}, {@code POST /tokenize} and {@code POST /apply-template}.
 */
final class ServedInfo {
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private final ObjectMapper json;
    private final JavaEngineFlags flags;
    private final long created = Instant.now().getEpochSecond();

    ServedInfo(ObjectMapper json, JavaEngineFlags flags) {
        this.json = json;
        this.flags = flags;
    }

    byte[] health() {
        return OK;
    }

    /** One model, the one served, with a little of llama-server's {@code meta}. */
    byte[] models(GgufHeader header) throws IOException {
        ObjectNode root = json.createObjectNode();
        root.put("object", "list");
        ObjectNode m = root.putArray("data").addObject();
        m.put("id", flags.modelName());
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "llamacpp");
        if (header == null) {
            m.putNull("meta");
        } else {
            ObjectNode meta = m.putObject("meta");
            header.contextLength().ifPresent(n -> meta.put("n_ctx_train", n));
            String arch = header.architecture().orElse("llama");
            header.getLong(arch + ".embedding_length").ifPresent(n -> meta.put("n_embd", n));
            meta.put("size", header.fileSize());
        }
        return json.writeValueAsBytes(root);
    }

    byte[] props(LlamaEngine engine, GgufHeader header) throws IOException {
        ObjectNode root = json.createObjectNode();
        ObjectNode settings = root.putObject("default_generation_settings");
        settings.put("id", 0);
        settings.put("id_task", -1);
        settings.put("n_ctx", engine.contextLength().orElse(0));
        settings.put("speculative", false);
        settings.put("is_processing", false);
        ObjectNode params = settings.putObject("params");
        params.put("n_predict", -1);
        params.put("temperature", 0.8);
        params.putArray("stop");
        params.put("max_tokens", -1);
        root.put("total_slots", flags.parallel());
        root.put("model_path", flags.model());
        String template = flags.chatTemplate() != null ? flags.chatTemplate()
                : header == null ? "" : header.chatTemplate().orElse("");
        root.put("chat_template", template);
        root.putObject("modalities").put("vision", false).put("audio", false);
        root.put("build_info", ServedIds.FINGERPRINT);
        return json.writeValueAsBytes(root);
    }

    /** {@code {"content": "..."}} to {@code {"tokens": [...]}}; add_special adds the BOS token the model uses. */
    byte[] tokenize(LlamaEngine engine, GgufHeader header, byte[] body) throws IOException {
        JsonNode root = object(body);
        JsonNode content = root.path("content");
        if (!content.isTextual()) {
            throw new InvalidRequestException("/tokenize needs {\"content\": \"text\"}.");
        }
        if (root.path("with_pieces").asBoolean(false)) {
            throw new InvalidRequestException("The Java engine does not give token pieces; leave with_pieces out.");
        }
        ObjectNode out = json.createObjectNode();
        ArrayNode tokens = out.putArray("tokens");
        if (root.path("add_special").asBoolean(false) && header != null && addsBos(header)) {
            tokens.add(header.bosTokenId().getAsInt());
        }
        for (int id : engine.tokenize(content.asText())) {
            tokens.add(id);
        }
        return json.writeValueAsBytes(out);
    }

    /** {@code {"messages": [...]}} to {@code {"prompt": "..."}}, with the template chats use. */
    byte[] applyTemplate(LlamaEngine engine, byte[] body) throws IOException {
        JsonNode root = object(body);
        String prompt = engine.applyTemplate(ServedRequest.messages(root.path("messages")));
        ObjectNode out = json.createObjectNode();
        out.put("prompt", prompt);
        return json.writeValueAsBytes(out);
    }

    private static boolean addsBos(GgufHeader header) {
        return header.bosTokenId().isPresent() && header.get("tokenizer.ggml.add_bos_token")
                .map(Boolean.TRUE::equals).orElse(true);
    }

    private JsonNode object(byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root != null && root.isObject()) {
                return root;
            }
        } catch (IOException e) {
            // reported below
        }
        throw new InvalidRequestException("The request body must be a JSON object.");
    }
}
