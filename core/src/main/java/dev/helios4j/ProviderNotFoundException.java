package dev.helios4j;

/**
 * No discovered provider accepts a model spec. The message names the spec, the providers that
 * were found, those that failed to load and why, and how to add the missing one to the classpath.
 */
public class ProviderNotFoundException extends LlmException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the spec, what was found and how to add a provider; must not be null
     */
    public ProviderNotFoundException(String message) {
        super(message);
    }
}
