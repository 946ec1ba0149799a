package dev.helios4j.spi;

import dev.helios4j.Settings;
import java.util.Objects;

/**
 * What {@link LlmProvider#open} needs: the model to open and the settings in force. Immutable.
 *
 * @param spec the whole spec after alias resolution, such as {@code llamacpp:demo}; never null
 * @param model the part after {@code NAME:}, such as {@code demo}; never null, may be empty
 * @param settings the settings to read keys, URLs and options from; never null
 */
public record ProviderContext(String spec, String model, Settings settings) {
    /** Checks the components; see the class description for the contract. */
    public ProviderContext {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(settings, "settings");
    }
}
