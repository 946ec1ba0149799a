package dev.helios4j;

/**
 * Two or more providers on the classpath claim the same name. The message names their classes
 * and the system property ({@code helios4j.provider.NAME=CLASS}) that picks one.
 */
public class AmbiguousProviderException extends LlmException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the name, the competing classes and how to choose; must not be null
     */
    public AmbiguousProviderException(String message) {
        super(message);
    }
}
