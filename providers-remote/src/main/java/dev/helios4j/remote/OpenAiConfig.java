package dev.helios4j.remote;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Secret;
import dev.helios4j.Settings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything one engine needs to reach a server, read once from {@link Settings} when the model is
 * opened. Immutable. The keys are listed in {@link OpenAiProvider}.
 *
 * @param url the base URL; requests go to {@code url.resolve("/chat/completions")}, messages show {@code url.display()}
 * @param model the default model name; may be empty (servers with one model ignore it)
 * @param apiKey the key sent as {@code Authorization: Bearer}, whatever the host; or null
 * @param headers extra headers, in order; values are treated as secrets when redacting
 * @param connectTimeout the TCP/TLS connect limit; positive
 * @param firstByteTimeout from sending the request to the first byte of the body; zero for none
 * @param idleTimeout the longest silence between two reads of a stream; zero for none
 * @param totalTimeout the whole call, retries included; zero for none
 * @param maxRetries how often to retry a failed attempt before the first token; 0 or more
 * @param initialBackoff the first retry's base delay; later ones double, capped
 * @param maxCompletionTokens send {@code max_completion_tokens} instead of {@code max_tokens}
 * @param includeUsage ask for a usage chunk with {@code stream_options.include_usage}
 * @param limits how much of an answer is held at once
 */
record OpenAiConfig(BaseUrl url, String model, Secret apiKey, Map<String, String> headers,
                    Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout,
                    Duration totalTimeout, int maxRetries, Duration initialBackoff,
                    boolean maxCompletionTokens, boolean includeUsage, Limits limits) {

    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    OpenAiConfig {
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw new InvalidRequestException("openai.timeout.connect must be positive, got " + connectTimeout + ".");
        }
        if (maxRetries < 0) {
            throw new InvalidRequestException("openai.retries must be 0 or more, got " + maxRetries + ".");
        }
    }

    /** Reads the settings for a model; fails early, naming the key, on any malformed value. */
    static OpenAiConfig from(Settings settings, String model) {
        settings.warnUnknownKeys("openai.", List.of("openai.base-url", "openai.api-key", "openai.organization", "openai.project", "openai.headers", "openai.timeout.connect", "openai.timeout.first-byte", "openai.timeout.idle", "openai.timeout.total", "openai.retries", "openai.retry.initial-backoff", "openai.max-completion-tokens", "openai.stream-usage", "openai.json-schema", "openai.limit.line", "openai.limit.event", "openai.limit.body",
                "openai.server.cooldown", EmbedSettings.BATCH, EmbedSettings.MODEL));
        BaseUrl url = BaseUrl.parse(settings.get("openai.base-url")
                .or(() -> settings.env("OPENAI_BASE_URL")).orElse(DEFAULT_BASE_URL));
        Secret key = settings.get("openai.api-key").or(() -> settings.env("OPENAI_API_KEY"))
                .map(Secret::of).orElse(null);
        if (key != null) {
            checkKey(key.reveal());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        settings.get("openai.organization").or(() -> settings.env("OPENAI_ORG_ID"))
                .ifPresent(v -> headers.put("OpenAI-Organization", v));
        settings.get("openai.project").or(() -> settings.env("OPENAI_PROJECT_ID"))
                .ifPresent(v -> headers.put("OpenAI-Project", v));
        settings.get("openai.headers").ifPresent(text -> headers.putAll(parseHeaders(text)));
        checkHeaders(url, headers);
        return new OpenAiConfig(url, model.strip(), key, headers,
                settings.getDuration("openai.timeout.connect", Duration.ofSeconds(10)),
                settings.getDuration("openai.timeout.first-byte", Duration.ofMinutes(2)),
                settings.getDuration("openai.timeout.idle", Duration.ofMinutes(1)),
                settings.getDuration("openai.timeout.total", Duration.ofMinutes(10)),
                settings.getInt("openai.retries", 2, 0),
                settings.getDuration("openai.retry.initial-backoff", Duration.ofMillis(500)),
                settings.getBoolean("openai.max-completion-tokens", false),
                settings.getBoolean("openai.stream-usage", true),
                Limits.from(settings));
    }

    /**
     * The settings of each server when {@code openai.base-url} (or {@code OPENAI_BASE_URL}) lists
     * several, separated by commas: one config per URL, in order, each without retries of its own
     * (the {@link ServerPool} retries on another server instead). One URL gives one config, as
     * {@link #from} does.
     */
    static List<OpenAiConfig> fromAll(Settings settings, String model) {
        String urls = settings.get("openai.base-url").or(() -> settings.env("OPENAI_BASE_URL")).orElse(DEFAULT_BASE_URL);
        List<String> each = new ArrayList<>();
        for (String u : urls.split(",")) {
            if (!u.isBlank()) {
                each.add(u.strip());
            }
        }
        if (each.size() <= 1) {
            return List.of(from(urls.indexOf(',') < 0 || each.isEmpty() ? settings
                    : settings.with("openai.base-url", each.get(0)), model));
        }
        List<OpenAiConfig> configs = new ArrayList<>();
        for (String u : each) {
            configs.add(from(settings.with("openai.base-url", u).with("openai.retries", "0"), model));
        }
        return List.copyOf(configs);
    }

    /** @return the base URL requests use; never shown (it may hold credentials) */
    String baseUrl() {
        return url.value();
    }

    /** @return the base URL as every message and log line shows it, credentials masked */
    String displayUrl() {
        return url.display();
    }

    URI endpoint(String path) {
        return url.resolve(path);
    }

    /** Removes the key, every header value and the base URL's credentials from a text built from server output. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = url.redact(apiKey == null ? text : apiKey.redact(text));
        for (String value : headers.values()) {
            if (value.length() >= 4) {
                result = Secret.of(value).redact(result);
            }
        }
        return result;
    }

    /** Never shows the key or header values. */
    @Override
    public String toString() {
        return "OpenAiConfig[" + url.display() + ", model " + (model.isEmpty() ? "(server default)" : model)
                + ", key " + (apiKey == null ? "none" : apiKey) + ", headers " + headers.keySet() + "]";
    }

    /** Only trailing slashes of the path are normalised; nothing is guessed (no "/v1" is added). */
    static String normalizeBaseUrl(String url) {
        return BaseUrl.parse(url).value();
    }

    /** Lines of {@code Name: value}; the form the builder writes and a properties file can hold. */
    static Map<String, String> parseHeaders(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : text.split("\\R|\\\\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InvalidRequestException("openai.headers holds one 'Name: value' per line; this line has no "
                        + "name: '" + line.strip() + "'.");
            }
            result.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
        }
        return result;
    }

    /**
     * A pasted key often carries a character no HTTP header can (an ellipsis, a line feed), and the
     * JDK's own error quotes the whole header. Say which character and where, never the key.
     */
    private static void checkKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) { // keys and tokens are visible ASCII; even a space means a bad paste
                throw new InvalidRequestException("The API key (openai.api-key or OPENAI_API_KEY) has "
                        + describe(key, i) + ", which an HTTP header cannot carry; paste it again, without it.");
            }
        }
    }

    /** Which character is at {@code i}, as a person can find it: "U+2026 HORIZONTAL ELLIPSIS at position 41 of 52". */
    static String describe(String text, int i) {
        int cp = text.codePointAt(i);
        String name = Character.getName(cp);
        return String.format(Locale.ROOT, "U+%04X", cp) + (name == null ? "" : " " + name) + " at position " + (i + 1)
                + " of " + text.length();
    }

    /** The JDK refuses some headers (Host, Connection...); say so now rather than on the first call. */
    private static void checkHeaders(BaseUrl url, Map<String, String> headers) {
        headers.forEach((name, value) -> {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                // the JDK's rule for a header value: visible ASCII, space, tab, and Latin-1 above 0x7f
                if (c > 0xff || c < 0x20 && c != '\t' || c == 0x7f) {
                    throw new InvalidRequestException("The value of the header " + name + " in openai.headers has "
                            + describe(value, i) + ", which an HTTP header cannot carry; set it again, without it.");
                }
            }
        });
        HttpRequest.Builder probe = HttpRequest.newBuilder(url.resolve(""));
        List<String> refused = new ArrayList<>();
        headers.forEach((name, value) -> {
            try {
                probe.setHeader(name, value);
            } catch (IllegalArgumentException e) {
                refused.add(name);
            }
        });
        if (!refused.isEmpty()) {
            throw new InvalidRequestException("These headers cannot be set on an HTTP request: " + refused
                    + ". Remove them from openai.headers.");
        }
    }
}
