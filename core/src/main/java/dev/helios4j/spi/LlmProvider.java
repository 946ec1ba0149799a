package dev.helios4j.spi;

import dev.helios4j.Capability;
import dev.helios4j.LlmException;
import java.util.Set;

/**
 * A family of models helios4j can open, found with {@link java.util.ServiceLoader}.
 *
 * <p>To add one: implement this interface with a public no-argument constructor, name the class
 * in {@code META-INF/services/dev.helios4j.spi.LlmProvider}, and put the jar on the classpath (or
 * add it to a running notebook with {@code %jars}). {@code Llm.open("NAME:MODEL")} then finds it.
 * Check it with the conformance kit in {@code helios4j-core}'s test-jar.
 *
 * <p>Shaped like {@link java.util.spi.ToolProvider}: the constructor, {@link #name()},
 * {@link #description()} and {@link #accepts(String)} must be cheap and must not fail, because
 * every lookup instantiates every provider; the expensive work (loading weights, reading keys)
 * happens in {@link #open(ProviderContext)}. Implementations must be thread-safe.
 */
public interface LlmProvider {

    /**
     * The name that selects this provider in a spec, as in {@code NAME:MODEL}.
     *
     * @return a stable lower-case name of letters, digits, '-' or '_'; never null
     */
    String name();

    /**
     * One line for {@code Llm.providers()}: what this provider reaches and how to configure it.
     *
     * @return a short description; never null
     */
    default String description() {
        return "";
    }

    /**
     * Whether this provider can open the given model; checked before {@link #open}.
     *
     * @param model the part of the spec after {@code NAME:}; never null, may be empty
     * @return true if {@link #open} should be tried
     */
    default boolean accepts(String model) {
        return true;
    }

    /**
     * What this provider's engines can do, for {@code Llm.providers()} and the conformance kit.
     * Must be cheap and must not fail. List {@link Capability#EMBEDDINGS} only when every engine
     * {@link #open} returns implements {@link EmbeddingEngine}.
     *
     * @return the capabilities; contains {@link Capability#CHAT}; never null
     */
    default Set<Capability> capabilities() {
        return Set.of(Capability.CHAT);
    }

    /**
     * Opens a model. May be slow: it may load weights, connect, or download.
     *
     * @param context the model to open and the settings to use; never null
     * @return an open engine, owned by the caller, who closes it; never null
     * @throws LlmException when the model cannot be opened; a subtype that says what to do, such
     *     as {@link dev.helios4j.ModelNotFoundException} or {@link dev.helios4j.InvalidModelException}
     */
    ChatEngine open(ProviderContext context);
}
