package dev.helios4j.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible server for batch tests, behind a {@link LoopbackServer}: it answers each
 * prompt with {@code "answer to <prompt>"}, streamed in the exact chunk format of
 * {@link FakeModel} with usage, after a configurable latency; it counts the calls in flight (and
 * the most it ever saw), the calls per prompt, and lets a test script faults per call.
 */
final class BatchServer implements LoopbackServer.Handler {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do with one call: answer normally (null), or fail with a status and headers. */
    interface Faults {
        Fault on(String prompt, int callNumber) throws Exception;
    }

    record Fault(int status, String body, String... headers) {
    }

    /** A call's arrival, for tests that look at timing. */
    record Arrival(String prompt, long nanos, int status) {
    }

    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();
    final Map<String, AtomicInteger> perPrompt = new ConcurrentHashMap<>();
    final Queue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    volatile long latencyMillis;
    volatile Faults faults = (prompt, n) -> null;

    BatchServer(long latencyMillis) {
        this.latencyMillis = latencyMillis;
    }

    int callsFor(String prompt) {
        AtomicInteger n = perPrompt.get(prompt);
        return n == null ? 0 : n.get();
    }

    @Override
    public void handle(LoopbackServer.Request request, LoopbackServer.Exchange exchange) throws Exception {
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        boolean counted = true;
        try {
            JsonNode body = JSON.readTree(request.body());
            String prompt = "";
            for (JsonNode m : body.path("messages")) {
                if (m.path("role").asText().equals("user")) {
                    prompt = m.path("content").asText();
                }
            }
            int n = calls.incrementAndGet();
            perPrompt.computeIfAbsent(prompt, p -> new AtomicInteger()).incrementAndGet();
            Fault fault = faults.on(prompt, n);
            arrivals.add(new Arrival(prompt, System.nanoTime(), fault == null ? 200 : fault.status()));
            if (fault != null) {
                counted = false;
                inFlight.decrementAndGet();
                exchange.respond(fault.status(), "application/json", fault.body(), fault.headers());
                return;
            }
            if (latencyMillis > 0) {
                Thread.sleep(latencyMillis);
            }
            String model = body.path("model").asText("batch-model");
            String[] words = ("answer to " + prompt).split(" ");
            exchange.startStream(200, "text/event-stream; charset=utf-8");
            StringBuilder events = new StringBuilder();
            events.append(chunk(model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
            for (int i = 0; i < words.length; i++) {
                String piece = (i == 0 ? "" : " ") + words[i];
                events.append(chunk(model, "{\"content\":" + JSON.writeValueAsString(piece) + "}", null));
            }
            events.append(chunk(model, "{}", "stop"));
            int promptTokens = prompt.split(" ").length;
            events.append("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"")
                    .append(model).append("\",\"choices\":[],\"usage\":{\"prompt_tokens\":").append(promptTokens)
                    .append(",\"completion_tokens\":").append(words.length).append(",\"total_tokens\":")
                    .append(promptTokens + words.length).append("}}\n\n");
            events.append("data: [DONE]\n\n");
            // counted out before the answer goes: the client may start its next call the moment it has
            // it, and the count must never show that overlap as one call too many
            counted = false;
            inFlight.decrementAndGet();
            exchange.send(events.toString());
        } finally {
            if (counted) {
                inFlight.decrementAndGet();
            }
        }
    }

    static String answerTo(String prompt) {
        return "answer to " + prompt;
    }

    private static String chunk(String model, String delta, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }
}
