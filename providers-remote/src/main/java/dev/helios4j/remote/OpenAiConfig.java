package dev.helios4j.remote;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Secret;
import dev.helios4j.Settings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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
                duration(settings, "openai.timeout.connect", Duration.ofSeconds(10)),
                duration(settings, "openai.timeout.first-byte", Duration.ofMinutes(2)),
                duration(settings, "openai.timeout.idle", Duration.ofMinutes(1)),
                duration(settings, "openai.timeout.total", Duration.ofMinutes(10)),
                integer(settings, "openai.retries", 2),
                duration(settings, "openai.retry.initial-backoff", Duration.ofMillis(500)),
                bool(settings, "openai.max-completion-tokens", false),
                bool(settings, "openai.stream-usage", true));
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

    private static Duration duration(Settings settings, String key, Duration fallback) {
        Optional<String> value = settings.get(key);
        return value.isEmpty() ? fallback : parseDuration(key, value.get());
    }

    /** "250ms", "30s", "2m", "1h", ISO-8601 "PT30S", or a bare number of seconds; "0" means no limit. */
    static Duration parseDuration(String key, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return nonNegative(key, Duration.parse(t.toUpperCase(Locale.ROOT)));
            }
            if (t.endsWith("ms")) {
                return nonNegative(key, Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip())));
            }
            char unit = t.charAt(t.length() - 1);
            String number = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1).strip();
            double amount = Double.parseDouble(number);
            double seconds = switch (unit) {
                case 'h' -> amount * 3600;
                case 'm' -> amount * 60;
                case 's' -> amount;
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException(text);
                    }
                    yield amount;
                }
            };
            return nonNegative(key, Duration.ofNanos(Math.round(seconds * 1e9)));
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new InvalidRequestException(key + " must be a duration such as 500ms, 30s, 2m or PT1M, got '"
                    + text + "'.", e);
        }
    }

    private static Duration nonNegative(String key, Duration d) {
        if (d.isNegative()) {
            throw new InvalidRequestException(key + " must not be negative, got " + d + ".");
        }
        return d;
    }

    private static int integer(Settings settings, String key, int fallback) {
        String value = settings.get(key).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(key + " must be a whole number, got '" + value + "'.", e);
        }
    }

    private static boolean bool(Settings settings, String key, boolean fallback) {
        String value = settings.get(key).orElse(null);
        if (value == null) {
            return fallback;
        }
        switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw new InvalidRequestException(key + " must be true or false, got '" + value + "'.");
        }
    }
}
