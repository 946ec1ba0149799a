package dev.helios4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to ask a model: the messages and the sampling settings. Immutable and never changed by a
 * provider; build one with {@link #builder()} or {@link #of(String)}.
 *
 * <p>Every optional setting is null when unset, and the provider's or server's default applies.
 * Invalid values are rejected when the request is built, with an {@link InvalidRequestException}
 * that names the value and the accepted range.
 *
 * @param messages the conversation so far, oldest first; never null or empty
 * @param model a model name that overrides the client's, for providers that serve several; or null
 * @param temperature 0 (greedy, the most predictable) to 2 (the most random); or null
 * @param topP nucleus sampling mass, in (0, 1]; or null
 * @param topK sample among the k likeliest tokens, at least 1; or null
 * @param minP drop tokens less likely than this fraction of the likeliest one, in [0, 1]; or null
 * @param repeatPenalty penalty for repeated tokens, above 0 (1 means none); or null
 * @param maxTokens the most tokens the answer may have, at least 0; or null
 * @param stop texts that end the answer when produced (not included in it); never null
 * @param seed a sampling seed, for repeatable answers where the provider supports it; or null
 * @param tools the functions the model may call; never null
 * @param toolChoice whether and which tool the model must call; or null
 * @param responseFormat the shape of the answer; never null
 * @param retries how often the provider may retry this call before its first token (connect
 *     failures, rate limits, server errors), overriding its setting ({@code openai.retries}); 0
 *     for a caller that retries by itself, as {@link Batch} does; or null for the provider's setting
 */
public record ChatRequest(
        List<ChatMessage> messages,
        String model,
        Double temperature,
        Double topP,
        Integer topK,
        Double minP,
        Double repeatPenalty,
        Integer maxTokens,
        List<String> stop,
        Long seed,
        List<Tool> tools,
        ToolChoice toolChoice,
        ResponseFormat responseFormat,
        Integer retries) {

    /** Checks every setting; see the class description for the ranges. */
    public ChatRequest {
        if (messages == null || messages.isEmpty()) {
            throw new InvalidRequestException(
                    "A chat request needs at least one message: use ChatRequest.of(\"your question\") "
                            + "or builder().user(\"your question\").");
        }
        for (ChatMessage m : messages) {
            if (m == null) {
                throw new InvalidRequestException("A chat request's messages must not contain null.");
            }
        }
        messages = List.copyOf(messages);
        if (model != null && model.isBlank()) {
            model = null;
        }
        if (temperature != null && !(temperature >= 0.0 && temperature <= 2.0)) {
            throw new InvalidRequestException("temperature must be between 0 and 2 (0 is greedy), got "
                    + temperature + ".");
        }
        if (topP != null && !(topP > 0.0 && topP <= 1.0)) {
            throw new InvalidRequestException("topP must be above 0 and at most 1, got " + topP + ".");
        }
        if (topK != null && topK < 1) {
            throw new InvalidRequestException("topK must be at least 1, got " + topK + ".");
        }
        if (minP != null && !(minP >= 0.0 && minP <= 1.0)) {
            throw new InvalidRequestException("minP must be between 0 and 1, got " + minP + ".");
        }
        if (repeatPenalty != null && !(repeatPenalty > 0.0 && Double.isFinite(repeatPenalty))) {
            throw new InvalidRequestException("repeatPenalty must be above 0 (1 means no penalty), got "
                    + repeatPenalty + ".");
        }
        if (maxTokens != null && maxTokens < 0) {
            throw new InvalidRequestException("maxTokens must be 0 or more, got " + maxTokens
                    + "; leave it unset for the provider's default.");
        }
        stop = stop == null ? List.of() : List.copyOf(stop);
        for (String s : stop) {
            if (s.isEmpty()) {
                throw new InvalidRequestException("A stop sequence must not be empty.");
            }
        }
        tools = tools == null ? List.of() : List.copyOf(tools);
        responseFormat = responseFormat == null ? ResponseFormat.text() : responseFormat;
        if (retries != null && retries < 0) {
            throw new InvalidRequestException("retries must be 0 or more, got " + retries
                    + "; leave it unset for the provider's setting.");
        }
    }

    /**
     * @param userText the question; never null
     * @return a request with one user message and default settings
     */
    public static ChatRequest of(String userText) {
        return builder().user(userText).build();
    }

    /** @return an empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this request's messages and settings, to derive a new request */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.messages.addAll(messages);
        b.model = model;
        b.temperature = temperature;
        b.topP = topP;
        b.topK = topK;
        b.minP = minP;
        b.repeatPenalty = repeatPenalty;
        b.maxTokens = maxTokens;
        b.stop.addAll(stop);
        b.seed = seed;
        b.tools.addAll(tools);
        b.toolChoice = toolChoice;
        b.responseFormat = responseFormat;
        b.retries = retries;
        return b;
    }

    /** @return a copy of this request with other messages */
    public ChatRequest withMessages(List<ChatMessage> newMessages) {
        return new ChatRequest(newMessages, model, temperature, topP, topK, minP, repeatPenalty, maxTokens,
                stop, seed, tools, toolChoice, responseFormat, retries);
    }

    /**
     * Collects the messages and settings of a {@link ChatRequest}. Not thread-safe; each
     * {@link #build()} checks the settings and returns a new immutable request.
     */
    public static final class Builder {
        private final List<ChatMessage> messages = new ArrayList<>();
        private String model;
        private Double temperature;
        private Double topP;
        private Integer topK;
        private Double minP;
        private Double repeatPenalty;
        private Integer maxTokens;
        private final List<String> stop = new ArrayList<>();
        private Long seed;
        private final List<Tool> tools = new ArrayList<>();
        private ToolChoice toolChoice;
        private ResponseFormat responseFormat;
        private Integer retries;

        private Builder() {
        }

        /**
         * Adds a system message.
         * @param text the instructions
         * @return this builder
         */
        public Builder system(String text) {
            return message(ChatMessage.system(text));
        }

        /**
         * Adds a user message.
         * @param text the question
         * @return this builder
         */
        public Builder user(String text) {
            return message(ChatMessage.user(text));
        }

        /**
         * Adds an assistant message.
         * @param text an earlier answer
         * @return this builder
         */
        public Builder assistant(String text) {
            return message(ChatMessage.assistant(text));
        }

        /**
         * Adds one message.
         * @param message never null
         * @return this builder
         */
        public Builder message(ChatMessage message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /**
         * Adds messages, in order.
         * @param list never null
         * @return this builder
         */
        public Builder messages(List<ChatMessage> list) {
            list.forEach(this::message);
            return this;
        }

        /**
         * @param name a model that overrides the client's, or null
         * @return this builder
         */
        public Builder model(String name) {
            this.model = name;
            return this;
        }

        /**
         * @param value 0 (greedy) to 2
         * @return this builder
         */
        public Builder temperature(double value) {
            this.temperature = value;
            return this;
        }

        /**
         * @param value in (0, 1]
         * @return this builder
         */
        public Builder topP(double value) {
            this.topP = value;
            return this;
        }

        /**
         * @param value at least 1
         * @return this builder
         */
        public Builder topK(int value) {
            this.topK = value;
            return this;
        }

        /**
         * @param value in [0, 1]
         * @return this builder
         */
        public Builder minP(double value) {
            this.minP = value;
            return this;
        }

        /**
         * @param value above 0; 1 means no penalty
         * @return this builder
         */
        public Builder repeatPenalty(double value) {
            this.repeatPenalty = value;
            return this;
        }

        /**
         * @param value the most tokens the answer may have, 0 or more
         * @return this builder
         */
        public Builder maxTokens(int value) {
            this.maxTokens = value;
            return this;
        }

        /**
         * Adds stop sequences.
         * @param sequences texts that end the answer
         * @return this builder
         */
        public Builder stop(String... sequences) {
            for (String s : sequences) {
                stop.add(Objects.requireNonNull(s, "stop sequence"));
            }
            return this;
        }

        /**
         * @param value a sampling seed
         * @return this builder
         */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /**
         * Adds a tool the model may call.
         * @param tool never null
         * @return this builder
         */
        public Builder tool(Tool tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /**
         * @param choice {@link ToolChoice#AUTO}, {@link ToolChoice#NONE}, {@link ToolChoice#REQUIRED}
         *     or {@link ToolChoice#tool(String)}; null for the server's default
         * @return this builder
         */
        public Builder toolChoice(ToolChoice choice) {
            this.toolChoice = choice;
            return this;
        }

        /**
         * @param format the answer's shape
         * @return this builder
         */
        public Builder responseFormat(ResponseFormat format) {
            this.responseFormat = format;
            return this;
        }

        /**
         * @param count retries of this call before its first token, overriding the provider's
         *     setting; 0 when the caller retries by itself (and wants each rate limit at once)
         * @return this builder
         */
        public Builder retries(int count) {
            this.retries = count;
            return this;
        }

        /**
         * @return the request
         * @throws InvalidRequestException when a setting is out of range or there are no messages
         */
        public ChatRequest build() {
            return new ChatRequest(messages, model, temperature, topP, topK, minP, repeatPenalty, maxTokens,
                    stop, seed, tools, toolChoice, responseFormat, retries);
        }
    }
}
