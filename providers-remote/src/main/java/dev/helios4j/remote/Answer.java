package dev.helios4j.remote;

import com.fasterxml.jackson.core.JsonParser;
import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.ServerException;
import dev.helios4j.StreamListener;
import dev.helios4j.Timings;
import dev.helios4j.ToolCall;
import dev.helios4j.Usage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The answer as it arrives: text passed on to the listener piece by piece, tool-call fragments
 * assembled by index, and what the last chunks say (finish reason, usage, llama.cpp timings).
 * One per call, used on the caller's thread only.
 */
final class Answer implements ChunkEvents {
    private final StreamListener listener;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, PendingCall> calls = new TreeMap<>();
    String finishReason;
    /** vLLM's {@code stop_reason}: the stop string that ended the answer, when one did. */
    String stopReason;
    boolean refused;
    int promptTokens = -1;
    int completionTokens = -1;
    /** llama.cpp's {@code timings}, a fallback when it sends no {@code usage}. */
    int timingsPromptTokens = -1;
    int timingsPredictedTokens = -1;
    double tokensPerSecond = Double.NaN;
    String model;
    boolean done;
    boolean errorInChunk;
    /** {@link ChunkParser}'s parser for this answer, fed one chunk after another; null until the first. */
    JsonParser json;

    Answer(StreamListener listener) {
        this.listener = listener;
    }

    /** Passes a piece on; stops at once if the listener (or anyone) interrupted this thread. */
    @Override
    public void content(String piece) {
        if (piece.isEmpty()) {
            return;
        }
        text.append(piece);
        listener.onToken(piece);
        if (Thread.currentThread().isInterrupted()) {
            throw new GenerationCancelledException(text.toString());
        }
    }

    /** OpenAI streams a refusal instead of content; it is the answer's text, flagged as filtered. */
    @Override
    public void refusal(String piece) {
        refused = true;
        content(piece);
    }

    @Override
    public void toolCallDelta(int index, String id, String name, String arguments) {
        PendingCall call = calls.computeIfAbsent(index, i -> new PendingCall());
        if (id != null && !id.isEmpty()) {
            call.id = id;
        }
        if (name != null && !name.isEmpty()) {
            call.name = call.name == null ? name : call.name + name;
        }
        if (arguments != null) {
            call.arguments.append(arguments);
        }
    }

    @Override
    public boolean knowsModel() {
        return model != null;
    }

    /** The first name the server gives is kept: one answer has one model. */
    @Override
    public void model(String name) {
        if (model == null) {
            model = name;
        }
    }

    @Override
    public void finishReason(String reason) {
        finishReason = reason;
    }

    @Override
    public void stopReason(String reason) {
        stopReason = reason;
    }

    @Override
    public void usage(int prompt, int completion) {
        if (prompt >= 0) {
            promptTokens = prompt;
        }
        if (completion >= 0) {
            completionTokens = completion;
        }
    }

    @Override
    public void timings(double perSecond, int prompt, int predicted) {
        if (!Double.isNaN(perSecond)) {
            tokensPerSecond = perSecond;
        }
        if (prompt >= 0) {
            timingsPromptTokens = prompt;
        }
        if (predicted >= 0) {
            timingsPredictedTokens = predicted;
        }
    }

    @Override
    public void error() {
        errorInChunk = true;
    }

    boolean hasStarted() {
        return text.length() > 0 || !calls.isEmpty();
    }

    /** Whether the server said the answer is over: a finish reason, or {@code [DONE]}. */
    boolean isComplete() {
        return done || finishReason != null;
    }

    String text() {
        return text.toString();
    }

    /** Returns the parser's buffers to Jackson's pool, for the next answer on this thread. */
    void closeJson() {
        JsonParser p = json;
        json = null;
        if (p != null) {
            try {
                p.close();
            } catch (IOException e) {
                // a byte-array parser holds no resource that can fail to close
            }
        }
    }

    /** Hands each complete tool call to the listener, then builds the response. */
    ChatResponse finish(ChatRequest request, Duration elapsed) {
        closeJson();
        List<ToolCall> toolCalls = new ArrayList<>(calls.size());
        for (PendingCall c : calls.values()) {
            if (c.name == null || c.name.isBlank()) {
                throw new ServerException("The server sent a tool call without a function name.", 502, "", text());
            }
            toolCalls.add(new ToolCall(c.id == null ? "" : c.id, c.name, c.arguments.toString()));
        }
        for (ToolCall call : toolCalls) {
            listener.onToolCall(call);
        }
        return new ChatResponse(ChatMessage.assistant(text(), toolCalls), usage(), finishReason(request, toolCalls),
                new Timings(null, elapsed, tokensPerSecond), model);
    }

    private Usage usage() {
        if (promptTokens >= 0 && completionTokens >= 0) {
            return Usage.of(promptTokens, completionTokens);
        }
        if (timingsPromptTokens >= 0 && timingsPredictedTokens >= 0) {
            return Usage.of(timingsPromptTokens, timingsPredictedTokens);
        }
        return Usage.UNKNOWN;
    }

    private FinishReason finishReason(ChatRequest request, List<ToolCall> toolCalls) {
        if (!toolCalls.isEmpty()) {
            return FinishReason.TOOL_CALLS; // some servers say "stop" beside tool calls
        }
        if (refused) {
            return FinishReason.CONTENT_FILTER;
        }
        if (finishReason == null) {
            return FinishReason.STOP; // [DONE] without a reason: the server ended the answer normally
        }
        switch (finishReason) {
            case "stop":
            case "eos":
                return stopReason != null && request.stop().contains(stopReason)
                        ? FinishReason.STOP_SEQUENCE : FinishReason.STOP;
            case "length":
                return FinishReason.LENGTH;
            case "tool_calls":
            case "function_call":
                return FinishReason.TOOL_CALLS;
            case "content_filter":
                return FinishReason.CONTENT_FILTER;
            default:
                return FinishReason.OTHER;
        }
    }

    private static final class PendingCall {
        String id;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }
}
