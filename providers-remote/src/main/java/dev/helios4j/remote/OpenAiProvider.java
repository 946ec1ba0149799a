package dev.helios4j.remote;

import dev.helios4j.Capability;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.LlmProvider;
import dev.helios4j.spi.ProviderContext;
import java.util.Set;

/**
 * The {@code openai} provider: any server that speaks OpenAI's chat completions API (OpenAI, the
 * llama.cpp server, vLLM, Ollama, LM Studio...). {@code Llm.open("openai:gpt-4o-mini")}.
 *
 * <p>Settings (code, {@code -Dhelios4j.KEY}, {@code HELIOS4J_KEY}, or the config file):
 * <ul>
 *   <li>{@code openai.base-url}, else the environment's {@code OPENAI_BASE_URL}, else OpenAI's API.
 *       Used as given: only a trailing slash is dropped, nothing else is guessed. Several URLs
 *       separated by commas spread the calls over several servers of one model
 *       ({@link ServerPool}); a server that fails or stalls leaves the rotation for
 *       {@code openai.server.cooldown} (2s, doubling while it keeps failing, up to 1m).</li>
 *   <li>{@code openai.api-key}, else {@code OPENAI_API_KEY}: sent as {@code Authorization: Bearer}
 *       to any host, never logged or shown.</li>
 *   <li>{@code openai.organization} ({@code OPENAI_ORG_ID}), {@code openai.project}
 *       ({@code OPENAI_PROJECT_ID}), {@code openai.headers}: more headers, one
 *       {@code Name: value} per line (or separated by a literal {@code \n}).</li>
 *   <li>{@code openai.timeout.connect} (10s), {@code openai.timeout.first-byte} (2m),
 *       {@code openai.timeout.idle} (1m, between chunks), {@code openai.timeout.total} (10m);
 *       "500ms", "30s", "2m", "PT1M"; 0 means no limit (not for connect).</li>
 *   <li>{@code openai.retries} (2): retries of connect failures, 429 and 5xx before the first token,
 *       with capped exponential backoff and jitter, honouring Retry-After;
 *       {@code openai.retry.initial-backoff} (500ms).</li>
 *   <li>{@code openai.max-completion-tokens} (false): send {@code max_completion_tokens}, which
 *       OpenAI's reasoning models require, instead of {@code max_tokens}.</li>
 *   <li>{@code openai.stream-usage} (true): ask for token usage with {@code stream_options}.</li>
 *   <li>{@code openai.json-schema} (true): send typed answers' schemas as {@code response_format}
 *       {@code json_schema} (strict); false for servers without structured outputs, which then get
 *       the schema in the system message. A server that answers 400 naming the format is noticed
 *       without this setting, at the cost of one refused request per client.</li>
 *   <li>{@code openai.limit.line} (1MiB), {@code openai.limit.event} (8MiB), {@code openai.limit.body}
 *       (32MiB): the longest event-stream line, the largest event and the largest non-streamed
 *       answer held; a server that sends more fails the call instead of filling the heap.</li>
 *   <li>{@code openai.embed-batch} (64): the most texts one {@code /embeddings} request carries;
 *       {@code openai.embed-model}: the model that embeds, when not the client's own.</li>
 * </ul>
 * In code, {@link OpenAiClients} sets the same settings.
 */
public final class OpenAiProvider implements LlmProvider {

    /** Instantiated by {@link java.util.ServiceLoader}; cheap, reads nothing. */
    public OpenAiProvider() {
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public String description() {
        return "Any OpenAI-compatible server (OpenAI, llama.cpp server, vLLM, Ollama, LM Studio): openai:MODEL; "
                + "base URL from OPENAI_BASE_URL or openai.base-url, key from OPENAI_API_KEY or openai.api-key.";
    }

    @Override
    public ChatEngine open(ProviderContext context) {
        java.util.List<OpenAiConfig> servers = OpenAiConfig.fromAll(context.settings(), context.model());
        EmbedSettings embedSettings = EmbedSettings.from(context.settings());
        boolean jsonSchema = context.settings().getBoolean("openai.json-schema", true);
        if (servers.size() == 1) {
            return new OpenAiEngine(servers.get(0), embedSettings, jsonSchema);
        }
        return new ServerPool(servers, embedSettings, jsonSchema, context.settings().getInt("openai.retries", 2, 0),
                context.settings().getDuration("openai.server.cooldown", ServerPool.DEFAULT_COOLDOWN));
    }

    /** Chats, and embeddings through the server's {@code /embeddings}. */
    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.CHAT, Capability.EMBEDDINGS);
    }
}
