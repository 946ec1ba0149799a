package dev.helios4j;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One provider found on the classpath, working or not, as {@link Llm#providers()} lists it.
 *
 * @param name the name it answers to in specs; for a provider that failed to load, its class name
 * @param description what it reaches; never null, may be empty
 * @param className the implementing class; never null
 * @param location the jar or directory it came from; never null, may be empty when unknown
 * @param failure why it could not be loaded; empty, never null, when it works
 * @param capabilities what its models can do; empty for a provider that failed to load; never null
 */
public record ProviderInfo(String name, String description, String className, String location, String failure,
                           Set<Capability> capabilities) {

    /** Checks the components; see the class description for the contract. */
    public ProviderInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(className, "className");
        description = description == null ? "" : description;
        location = location == null ? "" : location;
        failure = failure == null ? "" : failure;
        capabilities = capabilities == null || capabilities.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
    }

    /**
     * A provider that only chats, or one that failed to load (then with no capabilities).
     *
     * @param name as in the record
     * @param description as in the record
     * @param className as in the record
     * @param location as in the record
     * @param failure as in the record
     */
    public ProviderInfo(String name, String description, String className, String location, String failure) {
        this(name, description, className, location, failure,
                failure == null || failure.isEmpty() ? Set.of(Capability.CHAT) : Set.of());
    }

    /**
     * @param capability a capability
     * @return whether this provider's models have it
     */
    public boolean can(Capability capability) {
        return capabilities.contains(capability);
    }

    /** @return whether the provider loaded and can be opened */
    public boolean isAvailable() {
        return failure.isEmpty();
    }

    /** @return one line: name, description and origin, or the failure */
    @Override
    public String toString() {
        String origin = location.isEmpty() ? className : className + " in " + location;
        return isAvailable()
                ? name + " - " + (description.isEmpty() ? origin : description + " (" + origin + ")")
                        + (capabilities.size() > 1 ? " " + capabilities : "")
                : name + " - FAILED to load: " + failure + " (" + origin + ")";
    }
}
