package dev.helios4j.remote;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Secret;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The server's base URL, as requests use it and as messages show it. People put credentials in
 * both the user info ({@code http://user:KEY@host/v1}) and the query ({@code ?key=KEY}), so every
 * message, log line and {@code toString} uses {@link #display()}, computed once here. Azure-style
 * bases carry a query ({@code …/deployments/d?api-version=…}): paths go before it.
 *
 * @param value the URL as given, without trailing slashes on its path; what requests go to
 * @param display the same with {@link Secret#redactUrl(String) credentials masked}
 * @param credentials the user info and query values that {@code display} masks, to scrub from other text
 */
record BaseUrl(String value, String display, List<String> credentials) {
    /** Checks and normalises a base URL; only trailing slashes of the path go, nothing is guessed. */
    static BaseUrl parse(String url) {
        String given = url.strip();
        int queryAt = queryStart(given);
        String path = given.substring(0, queryAt);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String u = path + given.substring(queryAt);
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            // the JDK's message quotes the URL: keep it out of the cause too
            throw new InvalidRequestException("openai.base-url is not a valid URL: '" + Secret.redactUrl(url)
                    + "'. Give the full base, such as http://localhost:8080/v1.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new InvalidRequestException("openai.base-url must be an http or https URL with a host, got '"
                    + Secret.redactUrl(url) + "'. Give the full base, such as http://localhost:8080/v1.");
        }
        List<String> credentials = new ArrayList<>();
        if (uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            credentials.add(info.substring(info.indexOf(':') + 1));
            if (uri.getUserInfo() != null) {
                credentials.add(uri.getUserInfo().substring(uri.getUserInfo().indexOf(':') + 1));
            }
        }
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && masksValue(pair)) {
                    credentials.add(pair.substring(eq + 1));
                }
            }
        }
        credentials.removeIf(c -> c.length() < 4); // too short to find without masking innocent text
        return new BaseUrl(u, Secret.redactUrl(u), List.copyOf(credentials));
    }

    /**
     * @param path such as {@code /chat/completions}
     * @return the URL of that endpoint, before any query
     */
    URI resolve(String path) {
        int queryAt = queryStart(value);
        return URI.create(value.substring(0, queryAt) + path + value.substring(queryAt));
    }

    /** As {@link #resolve} but for messages. */
    String displayEndpoint(String path) {
        return Secret.redactUrl(resolve(path).toString());
    }

    /** Masks this URL's credentials wherever they appear in a text (the JDK's messages may quote the URL). */
    String redact(String text) {
        String result = text.replace(value, display);
        for (String credential : credentials) {
            result = result.replace(credential, Secret.MASK);
        }
        return result;
    }

    /** Whether {@link Secret#redactUrl} masks this query pair's value: Secret alone decides what is a credential. */
    private static boolean masksValue(String pair) {
        return Secret.redactUrl("http://host/?" + pair).endsWith("=" + Secret.MASK);
    }

    private static int queryStart(String url) {
        int q = url.indexOf('?');
        int f = url.indexOf('#');
        return q < 0 ? (f < 0 ? url.length() : f) : (f < 0 ? q : Math.min(q, f));
    }

    @Override
    public String toString() {
        return display;
    }
}
