package dev.helios4j.remote;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Secret;
import dev.helios4j.Settings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Opens a client on an OpenAI-compatible server from code, for when environment variables and
 * the config file are not the right place:
 *
 * <pre>{@code
 * LlmClient llm = OpenAiClients.builder()
 *         .baseUrl("http://localhost:8080/v1")
 *         .apiKey(System.getenv("MY_KEY"))
 *         .header("X-Team", "research")
 *         .idleTimeout(Duration.ofSeconds(30))
 *         .open("qwen2.5-7b-instruct");
 * }</pre>
 *
 * <p>Each method sets one of the settings {@link OpenAiProvider} documents, above every other
 * layer; what is not set here comes from those layers as usual. A builder is not thread-safe; the
 * clients it opens are.
 */
public final class OpenAiClients {
    private OpenAiClients() {
    }

    /** @return a builder over {@link Settings#load()} */
    public static Builder builder() {
        return new Builder(Settings.load());
    }

    /**
     * @param base the settings to start from; never null
     * @return a builder over them
     */
    public static Builder builder(Settings base) {
        return new Builder(Objects.requireNonNull(base, "base"));
    }

    /** Collects settings for one server; {@link #open(String)} opens a client on it. */
    public static final class Builder {
        private Settings settings;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(Settings settings) {
            this.settings = settings;
        }

        /**
         * @param url the base URL, such as {@code http://localhost:8080/v1}; used as given
         * @return this
         */
        public Builder baseUrl(String url) {
            if (Objects.requireNonNull(url, "url").indexOf(',') >= 0) {
                return baseUrls(java.util.Arrays.asList(url.split("\\s*,\\s*"))); // a list, as the setting takes it
            }
            return set("openai.base-url", OpenAiConfig.normalizeBaseUrl(url));
        }

        /**
         * Spreads calls over several servers of one model (vLLM, llama.cpp server, Ollama...): each
         * call goes to the server with the fewest calls in flight; one that fails or stalls is left
         * out for a while and tried again later.
         *
         * @param urls the base URLs, such as {@code http://a:8000/v1}; at least one
         * @return this
         */
        public Builder baseUrls(java.util.List<String> urls) {
            if (urls == null || urls.isEmpty()) {
                throw new InvalidRequestException("baseUrls needs at least one URL, such as http://localhost:8080/v1.");
            }
            StringBuilder joined = new StringBuilder();
            for (String u : urls) {
                if (u == null || u.indexOf(',') >= 0) {
                    throw new InvalidRequestException("A base URL must not be null or hold a comma (write %2C), got '"
                            + Secret.redactUrl(String.valueOf(u)) + "'.");
                }
                joined.append(joined.length() == 0 ? "" : ",").append(OpenAiConfig.normalizeBaseUrl(u));
            }
            return set("openai.base-url", joined.toString());
        }

        /**
         * @param key the API key, sent as a bearer token to whatever host; never shown
         * @return this
         */
        public Builder apiKey(String key) {
            if (key == null || key.isBlank()) {
                throw new InvalidRequestException("The API key is blank; leave apiKey(...) out for servers without one.");
            }
            return set("openai.api-key", key);
        }

        /**
         * @param id the {@code OpenAI-Organization} header
         * @return this
         */
        public Builder organization(String id) {
            return set("openai.organization", id);
        }

        /**
         * @param id the {@code OpenAI-Project} header
         * @return this
         */
        public Builder project(String id) {
            return set("openai.project", id);
        }

        /** Adds a header to every request. @param name its name @param value its value @return this */
        public Builder header(String name, String value) {
            if (name == null || name.isBlank() || name.indexOf(':') >= 0 || value == null
                    || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new InvalidRequestException("A header needs a name without ':' and a one-line value, got '"
                        + name + "'.");
            }
            headers.put(name.strip(), value.strip());
            StringBuilder lines = new StringBuilder();
            headers.forEach((n, v) -> lines.append(n).append(": ").append(v).append('\n'));
            return set("openai.headers", lines.toString());
        }

        /**
         * @param limit the TCP/TLS connect limit
         * @return this
         */
        public Builder connectTimeout(Duration limit) {
            return set("openai.timeout.connect", limit.toString());
        }

        /**
         * @param limit from sending to the answer's first byte; zero for none
         * @return this
         */
        public Builder firstByteTimeout(Duration limit) {
            return set("openai.timeout.first-byte", limit.toString());
        }

        /**
         * @param limit the longest silence between chunks of a stream; zero for none
         * @return this
         */
        public Builder idleTimeout(Duration limit) {
            return set("openai.timeout.idle", limit.toString());
        }

        /**
         * @param limit the whole call, retries included; zero for none
         * @return this
         */
        public Builder totalTimeout(Duration limit) {
            return set("openai.timeout.total", limit.toString());
        }

        /**
         * @param count retries before the first token (connect failures, 429, 5xx); 0 or more
         * @return this
         */
        public Builder maxRetries(int count) {
            return set("openai.retries", Integer.toString(count));
        }

        /**
         * @param on send {@code max_completion_tokens} instead of {@code max_tokens}
         * @return this
         */
        public Builder maxCompletionTokens(boolean on) {
            return set("openai.max-completion-tokens", Boolean.toString(on));
        }

        /**
         * @param on send typed answers' schemas as {@code response_format} {@code json_schema}; false
         *     for a server without structured outputs (the schema then goes into the system message)
         * @return this
         */
        public Builder jsonSchema(boolean on) {
            return set("openai.json-schema", Boolean.toString(on));
        }

        /** @return the settings collected so far, to pass to {@link Llm#open(String, Settings)} */
        public Settings settings() {
            return settings;
        }

        /**
         * Opens a client.
         *
         * @param model the model's name on the server; empty for servers that serve one model
         * @return an open client, owned by the caller
         * @throws dev.helios4j.LlmException when a setting is malformed or the provider is missing
         */
        public LlmClient open(String model) {
            return Llm.open("openai:" + Objects.requireNonNull(model, "model"), settings);
        }

        /** Never shows the key or header values. */
        @Override
        public String toString() {
            return "OpenAiClients.Builder[" + settings.get("openai.base-url").map(Secret::redactUrl)
                    .orElse("base URL from the environment")
                    + ", headers " + headers.keySet() + "]";
        }

        private Builder set(String key, String value) {
            settings = settings.with(key, Objects.requireNonNull(value, key));
            return this;
        }
    }
}
