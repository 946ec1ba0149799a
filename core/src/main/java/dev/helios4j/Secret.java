package dev.helios4j;

import java.util.Objects;

/**
 * A credential, such as an API key, that must never be shown. {@link #toString()} prints a mask,
 * so a secret that ends up in a log line, an exception message or a notebook output reveals
 * nothing. Immutable.
 */
public final class Secret {
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

    /** @return a mask, never the value */
    @Override
    public String toString() {
        return "****";
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
