package dev.helios4j;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A credential, such as an API key, that must never be shown. {@link #toString()} prints a mask,
 * so a secret that ends up in a log line, an exception message or a notebook output reveals
 * nothing. Immutable.
 */
public final class Secret {
    /** What every masked secret looks like, wherever helios4j masks one. */
    public static final String MASK = "****";

    /** Query parameters that name a version, not a credential: shown as they are. */
    private static final Set<String> PLAIN_QUERY_PARAMETERS = Set.of("api-version", "api_version", "version");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");
    private static final Pattern QUERY_PAIR = Pattern.compile("([^&=]*)=([^&]*)");

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    /**
     * @param value the credential; never null or blank
     * @return the wrapped credential
     * @throws InvalidRequestException when the value is blank
     */
    public static Secret of(String value) {
        Objects.requireNonNull(value, "value");
        if (value.isBlank()) {
            throw new InvalidRequestException("An API key or token must not be blank.");
        }
        return new Secret(value.strip());
    }

    /**
     * The credential itself, for the one place that sends it (an HTTP header). Never log it.
     *
     * @return the credential
     */
    public String reveal() {
        return value;
    }

    /**
     * Removes every occurrence of this secret from a text, for messages built from server output.
     *
     * @param text any text, or null
     * @return the text with the secret replaced by a mask; null stays null
     */
    public String redact(String text) {
        return text == null ? null : text.replace(value, toString());
    }

    /**
     * A URL as it may be shown in a message or a log line: the password in its user info and the
     * value of every query parameter except version parameters ({@code api-version}) are masked,
     * since people put keys in both ({@code http://user:KEY@host/v1}, {@code ?key=KEY}).
     *
     * @param url any text meant as a URL, or null; text that does not parse is masked whole after
     *            its scheme and host, so nothing unparsed leaks
     * @return the URL with its credentials masked; null stays null
     */
    public static String redactUrl(String url) {
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            return maskUnparsed(url);
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            return uri.getRawQuery() == null && !url.contains("@") ? url : maskUnparsed(url);
        }
        StringBuilder out = new StringBuilder();
        if (uri.getScheme() != null) {
            out.append(uri.getScheme()).append("://");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            out.append(colon < 0 ? MASK : userInfo.substring(0, colon) + ":" + MASK).append('@');
        }
        String authority = uri.getRawAuthority();
        out.append(authority.substring(authority.lastIndexOf('@') + 1));
        if (uri.getRawPath() != null) {
            out.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            out.append('?').append(maskQuery(uri.getRawQuery()));
        }
        if (uri.getRawFragment() != null) {
            out.append('#').append(MASK);
        }
        return out.toString();
    }

    private static String maskQuery(String query) {
        Matcher m = QUERY_PAIR.matcher(query);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String shown = PLAIN_QUERY_PARAMETERS.contains(name.toLowerCase(Locale.ROOT)) ? m.group(2) : MASK;
            m.appendReplacement(out, Matcher.quoteReplacement(name + "=" + shown));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Keeps what cannot carry a credential (scheme and host) and masks the rest. */
    private static String maskUnparsed(String url) {
        String text = url.strip();
        Matcher scheme = SCHEME.matcher(text);
        String prefix = scheme.lookingAt() ? scheme.group() : "";
        String rest = text.substring(prefix.length());
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            end = i >= 0 ? Math.min(end, i) : end;
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        String host = at < 0 ? authority : MASK + "@" + authority.substring(at + 1);
        return prefix + host + (end < rest.length() ? "/" + MASK : "");
    }

    /** @return {@link #MASK}, never the value */
    @Override
    public String toString() {
        return MASK;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
