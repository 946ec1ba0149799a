package dev.helios4j.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic OpenAI-compatible "model" behind a {@link LoopbackServer}: it streams its answer
 * one word per chunk (with a short pause, so interrupts land mid-answer), honours
 * {@code max_tokens}/{@code max_completion_tokens} and {@code stop}, sends usage when
 * {@code stream_options.include_usage} is set, answers 404 for an unknown model and lists its
 * models at {@code GET /models}. One word is one token.
 */
final class FakeModel implements LoopbackServer.Handler {
    static final String MODEL = "fake-model";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] ONES = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen"};
    private static final String[] TENS = {"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
        "eighty", "ninety"};

    private final long pauseMillis;

    FakeModel(long pauseMillis) {
        this.pauseMillis = pauseMillis;
    }

    @Override
    public void handle(LoopbackServer.Request request, LoopbackServer.Exchange exchange) throws Exception {
        if (request.method().equals("GET") && request.path().replaceFirst("[?].*", "").endsWith("/models")) {
            exchange.respond(200, "application/json",
                    "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\",\"owned_by\":\"test\"}]}");
            return;
        }
        JsonNode body = JSON.readTree(request.body());
        if (request.path().endsWith("/embeddings")) {
            exchange.respond(200, "application/json", embeddings(body));
            return;
        }
        String model = body.path("model").asText(MODEL);
        if (model.equals("no-such-model-xyz")) {
            exchange.respond(404, "application/json", "{\"error\":{\"message\":\"The model `" + model
                    + "` does not exist\",\"type\":\"invalid_request_error\",\"code\":\"model_not_found\"}}");
            return;
        }
        JsonNode max = body.has("max_completion_tokens") ? body.get("max_completion_tokens") : body.get("max_tokens");
        if (max != null && max.asInt() < 1) {
            exchange.respond(400, "application/json",
                    "{\"error\":{\"message\":\"max_tokens must be at least 1\",\"type\":\"invalid_request_error\"}}");
            return;
        }
        List<String> tokens = tokens(answerTo(body.path("messages")));
        int promptTokens = 0;
        for (JsonNode m : body.path("messages")) {
            promptTokens += m.path("content").asText("").split("\\s+").length;
        }
        String finish = "stop";
        if (max != null && tokens.size() > max.asInt()) {
            tokens = tokens.subList(0, max.asInt());
            finish = "length";
        }
        String text = String.join("", tokens);
        for (JsonNode stop : body.path("stop")) {
            int at = text.indexOf(stop.asText());
            if (at >= 0) {
                text = text.substring(0, at);
                tokens = cut(tokens, text.length());
                finish = "stop";
            }
        }
        exchange.startStream(200, "text/event-stream; charset=utf-8");
        exchange.send(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (String token : tokens) {
            exchange.send(chunk(model, "{\"content\":" + JSON.writeValueAsString(token) + "}", null));
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
        }
        exchange.send(chunk(model, "{}", finish));
        if (body.path("stream_options").path("include_usage").asBoolean()) {
            exchange.send("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\""
                    + model + "\",\"choices\":[],\"usage\":{\"prompt_tokens\":" + promptTokens
                    + ",\"completion_tokens\":" + tokens.size() + ",\"total_tokens\":" + (promptTokens + tokens.size())
                    + "}}\n\n");
        }
        exchange.send("data: [DONE]\n\n");
    }

    /**
     * OpenAI's answer to {@code POST /embeddings}: a unit vector of 8 word-hash buckets per text,
     * listed in reverse order (each with its index), as a server that finishes batches out of order may.
     */
    static String embeddings(JsonNode body) throws Exception {
        JsonNode input = body.path("input");
        List<String> texts = new java.util.ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
        } else {
            input.forEach(t -> texts.add(t.asText()));
        }
        com.fasterxml.jackson.databind.node.ObjectNode answer = JSON.createObjectNode().put("object", "list");
        com.fasterxml.jackson.databind.node.ArrayNode data = answer.putArray("data");
        int tokens = 0;
        for (int i = texts.size() - 1; i >= 0; i--) {
            double[] v = new double[8];
            for (String word : texts.get(i).toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
                if (!word.isEmpty()) {
                    v[Math.floorMod(word.hashCode(), 8)] += 1;
                }
            }
            v[7] += 0.25;
            double norm = Math.sqrt(java.util.Arrays.stream(v).map(x -> x * x).sum());
            com.fasterxml.jackson.databind.node.ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            com.fasterxml.jackson.databind.node.ArrayNode values = item.putArray("embedding");
            for (double x : v) {
                values.add((float) (x / norm));
            }
        }
        for (String t : texts) {
            tokens += t.split("\\s+").length;
        }
        answer.put("model", body.path("model").asText(MODEL));
        answer.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return JSON.writeValueAsString(answer);
    }

    private static String chunk(String model, String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    private static String answerTo(JsonNode messages) {
        String last = "";
        for (JsonNode m : messages) {
            if (m.path("role").asText().equals("user")) {
                last = m.path("content").asText();
            }
        }
        if (last.startsWith("Count")) {
            StringBuilder s = new StringBuilder();
            for (int i = 1; i <= 1000; i++) {
                s.append(i == 1 ? "" : " ").append(words(i));
            }
            return s.toString();
        }
        if (last.contains("Ada Lovelace")) {
            return dev.helios4j.testkit.ProviderConformanceKit.ADA_JSON; // the kit's typed-answer example
        }
        return "Hello! How can I help you today?";
    }

    /** Words with their leading space, as real tokenizers split them. */
    static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == ' ') {
                tokens.add(text.substring(start, i));
                start = i;
            }
        }
        return tokens;
    }

    private static List<String> cut(List<String> tokens, int length) {
        List<String> kept = new ArrayList<>();
        int at = 0;
        for (String t : tokens) {
            if (at + t.length() <= length) {
                kept.add(t);
            } else if (at < length) {
                kept.add(t.substring(0, length - at));
            }
            at += t.length();
        }
        return kept;
    }

    static String words(int n) {
        if (n == 1000) {
            return "one-thousand";
        }
        if (n >= 100) {
            return ONES[n / 100] + "-hundred" + (n % 100 == 0 ? "" : "-" + words(n % 100));
        }
        if (n < 20) {
            return ONES[n];
        }
        return TENS[n / 10] + (n % 10 == 0 ? "" : "-" + ONES[n % 10]);
    }

}
