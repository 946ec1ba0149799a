package dev.helios4j.notebook;

import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.ProgressListener;
import dev.helios4j.Settings;
import java.lang.reflect.InvocationTargetException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Behind {@link Notebook#open(String)}: a model from the Hub ({@code llamacpp:hf:…}, directly or
 * through aliases) is first fetched into the cache with the notebook's progress bar, then opened
 * as {@link Llm#open(String)} opens it, which then finds it cached.
 *
 * <p>The local provider is reached by reflection (this module depends on core only), so without it
 * on the classpath the spec simply goes to {@code Llm.open}, which says what is missing.
 */
final class ModelOpener {
    private static final String HF_PREFIX = "llamacpp:hf:";
    private static final String HF_MODELS = "dev.helios4j.local.hf.HfModels";
    private static final String DOWNLOAD_LISTENER = "dev.helios4j.local.hf.DownloadListener";

    private ModelOpener() {
    }

    static LlmClient open(String spec) {
        return open(spec, Settings.load());
    }

    static LlmClient open(String spec, Settings settings) {
        String target = followAliases(spec, settings.aliases());
        if (target != null && target.toLowerCase(Locale.ROOT).startsWith(HF_PREFIX)) {
            fetch(target.substring("llamacpp:".length()), settings);
        }
        return Llm.open(spec, settings);
    }

    /** @return the {@code PROVIDER:MODEL} an alias chain ends at, or null when it does not end at one */
    static String followAliases(String spec, Map<String, String> aliases) {
        if (spec == null) {
            return null;
        }
        String current = spec.strip();
        Set<String> seen = new HashSet<>();
        while (current.indexOf(':') < 0) {
            String alias = current.toLowerCase(Locale.ROOT);
            if (!seen.add(alias) || !aliases.containsKey(alias)) {
                return null; // Llm.open explains loops and unknown names
            }
            current = aliases.get(alias).strip();
        }
        return current;
    }

    private static void fetch(String hfSpec, Settings settings) {
        Class<?> models;
        try {
            models = Class.forName(HF_MODELS, true, ModelOpener.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return; // no local provider: Llm.open says so
        }
        try (ProgressBar bar = Notebook.progress()) {
            Class<?> listenerType = Class.forName(DOWNLOAD_LISTENER, true, models.getClassLoader());
            Object listener = listenerType.getMethod("of", ProgressListener.class).invoke(null, bar);
            Object hf = models.getMethod("from", Settings.class).invoke(null, settings);
            models.getMethod("resolve", String.class, listenerType).invoke(hf, hfSpec, listener);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new LlmException("Fetching " + hfSpec + " failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            // a local provider of another shape: let Llm.open fetch the model without the bar
        }
    }
}
