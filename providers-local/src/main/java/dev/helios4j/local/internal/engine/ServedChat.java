package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.Usage;
import dev.helios4j.local.internal.LlamaEngine;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code POST /v1/chat/completions}, streamed or not, in llama-server's formats, over the
 * in-process engine: the same rendering, stop handling, grammar, usage counts and slot queue as
 * {@code Llm.open} in one JVM. A client that goes away mid-stream ends the generation at the next
 * piece (its write fails) and frees the slot.
 */
final class ServedChat {
    private final ObjectMapper json;
    private final String model;

    ServedChat(ObjectMapper json, String model) {
        this.json = json;
        this.model = model;
    }

    void handle(HttpExchange exchange, LlamaEngine engine) throws IOException {
        ServedRequest request = ServedRequest.read(json, exchange.getRequestBody().readAllBytes());
        ServedIds ids = ServedIds.next();
        if (!request.stream()) {
            ChatResponse r = engine.chat(request.chat());
            EngineServer.sendJson(exchange, 200, completion(ids, r, request.chat()));
            return;
        }
        ServedStream stream = new ServedStream(exchange, ids, model);
        ChatResponse r;
        try {
            r = engine.stream(request.chat(), stream::piece);
        } catch (UncheckedIOException e) {
            EngineServer.log("the client of " + ids.id() + " went away after " + stream.pieces()
                    + " pieces; generation stopped and the slot freed (" + e.getCause().getMessage() + ")");
            exchange.close();
            return;
        } catch (RuntimeException e) {
            if (!stream.started()) {
                throw e; // nothing sent yet: an ordinary HTTP error
            }
            EngineServer.log("generation of " + ids.id() + " failed: " + e.getMessage());
            stream.error(ServedError.of(e).toJson(json));
            exchange.close();
            return;
        }
        stream.finish(finish(r, request.chat()), request.includeUsage() ? usage(r.usage()) : null, timings(r));
        exchange.close();
    }

    private byte[] completion(ServedIds ids, ChatResponse r, ChatRequest request) throws IOException {
        ObjectNode root = json.createObjectNode();
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("finish_reason", finishReason(r.finishReason()));
        String stop = stopReason(r, request);
        if (stop != null) {
            choice.put("stop_reason", stop);
        }
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", r.text());
        root.put("created", ids.created());
        root.put("model", model);
        root.put("system_fingerprint", ServedIds.FINGERPRINT);
        root.put("object", "chat.completion");
        root.set("usage", json.readTree(usage(r.usage())));
        root.put("id", ids.id());
        root.set("timings", json.readTree(timings(r)));
        return json.writeValueAsBytes(root);
    }

    /** The inside of the final choice: llama-server's finish reason, and vLLM's stop reason when known. */
    private String finish(ChatResponse r, ChatRequest request) throws IOException {
        String stop = stopReason(r, request);
        return "\"finish_reason\":\"" + finishReason(r.finishReason()) + "\""
                + (stop == null ? "" : ",\"stop_reason\":" + json.writeValueAsString(stop));
    }

    /** llama-server says "stop" for a stop word and for the end of the answer alike. */
    private static String finishReason(FinishReason reason) {
        return reason == FinishReason.LENGTH ? "length" : "stop";
    }

    /**
     * The stop string that ended the answer, as vLLM reports it (clients such as helios4j's tell a
     * stop sequence from an ordinary end by it). Known exactly when the request named one stop;
     * with several, which one matched is not recorded, so nothing is claimed.
     */
    private static String stopReason(ChatResponse r, ChatRequest request) {
        return r.finishReason() == FinishReason.STOP_SEQUENCE && request.stop().size() == 1 ? request.stop().get(0) : null;
    }

    private byte[] usage(Usage u) throws IOException {
        ObjectNode n = json.createObjectNode();
        n.put("completion_tokens", u.completionTokens());
        n.put("prompt_tokens", u.promptTokens());
        n.put("total_tokens", u.totalTokens());
        return json.writeValueAsBytes(n);
    }

    /**
     * llama-server's timings: the prompt's time is the time to the first piece (rendering, counting
     * and prompt processing), generation the rest.
     */
    private byte[] timings(ChatResponse r) throws IOException {
        double total = r.timings().total().toNanos() / 1e6;
        double prompt = (r.timings().timeToFirstToken() != null ? r.timings().timeToFirstToken() : r.timings().total()).toNanos() / 1e6;
        double predicted = Math.max(0, total - prompt);
        int promptN = Math.max(0, r.usage().promptTokens());
        int predictedN = Math.max(0, r.usage().completionTokens());
        ObjectNode n = json.createObjectNode();
        n.put("prompt_n", promptN);
        n.put("prompt_ms", prompt);
        n.put("prompt_per_token_ms", promptN == 0 ? 0 : prompt / promptN);
        n.put("prompt_per_second", prompt == 0 ? 0 : promptN * 1000.0 / prompt);
        n.put("predicted_n", predictedN);
        n.put("predicted_ms", predicted);
        n.put("predicted_per_token_ms", predictedN == 0 ? 0 : predicted / predictedN);
        n.put("predicted_per_second", predicted == 0 ? 0 : predictedN * 1000.0 / predicted);
        return json.writeValueAsBytes(n);
    }
}
