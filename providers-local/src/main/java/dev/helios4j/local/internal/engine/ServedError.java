package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.helios4j.ContextLengthExceededException;
import dev.helios4j.InvalidModelException;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.ModelNotFoundException;

/**
 * An error as llama-server sends it: {@code {"error":{"code":400,"message":"...","type":"invalid_request_error"}}},
 * with helios4j's message (which says what to do) in {@code message}, so the parent can show it.
 * The errors llama-server's HTTP layer sends itself (401, 404, 503 while loading) list the fields
 * as {@code message, type, code}; those are written in that order too.
 */
record ServedError(int status, String type, String message, ContextLengthExceededException context,
                   boolean fromHttpLayer) {

    static ServedError badRequest(String message) {
        return new ServedError(400, "invalid_request_error", message, null, false);
    }

    static ServedError unauthorized() {
        return new ServedError(401, "authentication_error", "Invalid API Key", null, true);
    }

    static ServedError notFound() {
        return new ServedError(404, "not_found_error", "File Not Found", null, true);
    }

    static ServedError loading() {
        return new ServedError(503, "unavailable_error", "Loading model", null, true);
    }

    /** The status and type llama-server would give the failure that this exception describes. */
    static ServedError of(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ContextLengthExceededException c) {
            return new ServedError(400, "exceed_context_size_error", message, c, false);
        }
        if (e instanceof InvalidRequestException || e instanceof InvalidModelException) {
            return badRequest(message);
        }
        if (e instanceof ModelNotFoundException) {
            return new ServedError(404, "not_found_error", message, null, false);
        }
        return new ServedError(500, "server_error", message, null, false);
    }

    /** @param json the mapper; may be null for the HTTP layer's errors, which are written without it */
    byte[] toJson(ObjectMapper json) {
        if (fromHttpLayer || json == null) {
            // Fixed texts, before Jackson is ready: written by hand. Other messages never reach here
            // without a mapper (they arise once the model, and with it the mapper, is loaded).
            return ("{\"error\":{\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                    .replaceAll("[\\x00-\\x1f]", " ") + "\",\"type\":\"" + type + "\",\"code\":" + status + "}}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        ObjectNode root = json.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", status);
        error.put("message", message);
        error.put("type", type);
        if (context != null) {
            error.put("n_prompt_tokens", context.promptTokens());
            error.put("n_ctx", context.contextTokens());
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of strings and numbers always serialises
        }
    }
}
