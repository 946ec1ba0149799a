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
 * @param baseUrl the base URL as given, without trailing slashes; requests go to {@code baseUrl + "/chat/completions"}
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
 */
record OpenAiConfig(String baseUrl, String model, Secret apiKey, Map<String, String> headers,
                    Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout,
                    Duration totalTimeout, int maxRetries, Duration initialBackoff,
                    boolean maxCompletionTokens, boolean includeUsage) {

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
        settings.warnUnknownKeys("openai.", List.of("openai.base-url", "openai.api-key", "openai.organization", "openai.project", "openai.headers", "openai.timeout.connect", "openai.timeout.first-byte", "openai.timeout.idle", "openai.timeout.total", "openai.retries", "openai.retry.initial-backoff", "openai.max-completion-tokens", "openai.stream-usage"));
        String baseUrl = normalizeBaseUrl(settings.get("openai.base-url")
                .or(() -> settings.env("OPENAI_BASE_URL")).orElse(DEFAULT_BASE_URL));
        Secret key = settings.get("openai.api-key").or(() -> settings.env("OPENAI_API_KEY"))
                .map(Secret::of).orElse(null);
        Map<String, String> headers = new LinkedHashMap<>();
        settings.get("openai.organization").or(() -> settings.env("OPENAI_ORG_ID"))
                .ifPresent(v -> headers.put("OpenAI-Organization", v));
        settings.get("openai.project").or(() -> settings.env("OPENAI_PROJECT_ID"))
                .ifPresent(v -> headers.put("OpenAI-Project", v));
        settings.get("openai.headers").ifPresent(text -> headers.putAll(parseHeaders(text)));
        checkHeaders(baseUrl, headers);
        return new OpenAiConfig(baseUrl, model.strip(), key, headers,
                settings.getDuration("openai.timeout.connect", Duration.ofSeconds(10)),
                settings.getDuration("openai.timeout.first-byte", Duration.ofMinutes(2)),
                settings.getDuration("openai.timeout.idle", Duration.ofMinutes(1)),
                settings.getDuration("openai.timeout.total", Duration.ofMinutes(10)),
                settings.getInt("openai.retries", 2, 0),
                settings.getDuration("openai.retry.initial-backoff", Duration.ofMillis(500)),
                settings.getBoolean("openai.max-completion-tokens", false),
                settings.getBoolean("openai.stream-usage", true));
    }

    /** A copy with another base URL, for tests and the builder. */
    OpenAiConfig withBaseUrl(String url) {
        return new OpenAiConfig(normalizeBaseUrl(url), model, apiKey, headers, connectTimeout, firstByteTimeout,
                idleTimeout, totalTimeout, maxRetries, initialBackoff, maxCompletionTokens, includeUsage);
    }

    URI endpoint(String path) {
        return URI.create(baseUrl + path);
    }

    /** Removes the key and every header value from a text built from server output. */
    String redact(String text) {
        if (text == null) {
            return null;
        }
        String result = apiKey == null ? text : apiKey.redact(text);
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
        return "OpenAiConfig[" + baseUrl + ", model " + (model.isEmpty() ? "(server default)" : model)
                + ", key " + (apiKey == null ? "none" : apiKey) + ", headers " + headers.keySet() + "]";
    }

    /** Only a trailing slash is normalised; nothing is guessed (no "/v1" is added). */
    static String normalizeBaseUrl(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("openai.base-url is not a valid URL: '" + url + "'. Give the full base, "
                    + "such as http://localhost:8080/v1.", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidRequestException("openai.base-url must be an http or https URL with a host, got '" + url
                    + "'. Give the full base, such as http://localhost:8080/v1.");
        }
        return u;
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

    /** The JDK refuses some headers (Host, Connection...); say so now rather than on the first call. */
    private static void checkHeaders(String baseUrl, Map<String, String> headers) {
        HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(baseUrl));
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
