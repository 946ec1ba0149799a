package dev.helios4j;

import java.util.Objects;
import java.util.Optional;

/**
 * One provider found on the classpath, working or not, as {@link Llm#providers()} lists it.
 *
 * @param name the name it answers to in specs; for a provider that failed to load, its class name
 * @param description what it reaches; never null, may be empty
 * @param className the implementing class; never null
 * @param location the jar or directory it came from; never null, may be empty when unknown
 * @param failure why it could not be loaded; empty, never null, when it works
 */
public record ProviderInfo(String name, String description, String className, String location, String failure) {

    /** Checks the components; see the class description for the contract. */
    public ProviderInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(className, "className");
        description = description == null ? "" : description;
        location = location == null ? "" : location;
        failure = failure == null ? "" : failure;
    }

    /** @return whether the provider loaded and can be opened */
    public boolean isAvailable() {
        return failure.isEmpty();
    }

    /** @return why the provider failed to load, when it did */
    public Optional<String> failureReason() {
        return failure.isEmpty() ? Optional.empty() : Optional.of(failure);
    }

    /** @return one line: name, description and origin, or the failure */
    @Override
    public String toString() {
        String origin = location.isEmpty() ? className : className + " in " + location;
        return isAvailable()
                ? name + " - " + (description.isEmpty() ? origin : description + " (" + origin + ")")
                : name + " - FAILED to load: " + failure + " (" + origin + ")";
    }
}
