package dev.helios4j;

import dev.helios4j.spi.LlmProvider;
import java.lang.System.Logger.Level;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds providers afresh on every call, so a jar added to a running notebook is seen by the next
 * lookup. Holds no state: notebooks swap class loaders, and a cache would hide their jars.
 */
final class ProviderRegistry {
    private static final System.Logger LOG = System.getLogger(ProviderRegistry.class.getName());
    /** Guards against a ServiceLoader iterator that keeps failing without advancing. */
    private static final int MAX_ENTRIES = 1_000;
    static final String UNKNOWN_CLASS = "(unknown provider class)";
    private static final Pattern CLASS_NAME = Pattern.compile("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}.]*");

    /** A provider instance, or the reason there is none. */
    record Found(LlmProvider provider, ProviderInfo info) {
    }

    private ProviderRegistry() {
    }

    /**
     * Every provider visible through the context class loader, then through core's own; a class
     * visible through both counts once. One that fails is reported, never fatal to the others.
     */
    static List<Found> discover() {
        return discover(Thread.currentThread().getContextClassLoader(), ProviderRegistry.class.getClassLoader());
    }

    /** {@link #discover()} over explicit loaders; the context one may be null. */
    static List<Found> discover(ClassLoader context, ClassLoader own) {
        Map<String, Found> byClass = new LinkedHashMap<>();
        if (context != null) {
            scan(context, byClass);
        }
        if (own != context) {
            scan(own, byClass);
        }
        return new ArrayList<>(byClass.values());
    }

    /** Adds what {@code loader} lists to {@code byClass}; the first entry for a class name wins. */
    private static void scan(ClassLoader loader, Map<String, Found> byClass) {
        Iterator<ServiceLoader.Provider<LlmProvider>> it =
                ServiceLoader.load(LlmProvider.class, loader).stream().iterator();
        for (int i = 0; i < MAX_ENTRIES; i++) {
            ServiceLoader.Provider<LlmProvider> candidate;
            try {
                if (!it.hasNext()) {
                    return;
                }
                candidate = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // A listed class that is missing, no provider, or cannot link; the iterator moves past it.
                String className = classNameIn(e);
                Found failure = failed(className, "", describe(e));
                byClass.putIfAbsent(className.equals(UNKNOWN_CLASS) ? describe(e) : className, failure);
                continue;
            }
            byClass.computeIfAbsent(candidate.type().getName(), name -> instantiate(candidate));
        }
        LOG.log(Level.WARNING, "Stopped reading provider entries after " + MAX_ENTRIES);
    }

    private static Found instantiate(ServiceLoader.Provider<LlmProvider> candidate) {
        Class<?> type = candidate.type();
        String location = locationOf(type);
        try {
            LlmProvider provider = candidate.get();
            String name = provider.name();
            if (name == null || !name.matches("[a-z0-9][a-z0-9_-]*")) {
                return failed(type.getName(), location, "its name() returned " + (name == null ? "null" : "\""
                        + name + "\"") + "; a provider name must be lower-case letters, digits, '-' or '_'");
            }
            String description = provider.description();
            java.util.Set<Capability> capabilities = provider.capabilities();
            if (capabilities == null || !capabilities.contains(Capability.CHAT)) {
                return failed(type.getName(), location, "its capabilities() returned " + capabilities
                        + "; they must include Capability.CHAT");
            }
            return new Found(provider, new ProviderInfo(name, description, type.getName(), location, "", capabilities));
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            LOG.log(Level.DEBUG, "Provider " + type.getName() + " failed to load", e);
            return failed(type.getName(), location, describe(e));
        }
    }

    /** The providers that answer to {@code name}, after the {@code provider.NAME} setting is applied. */
    static LlmProvider select(String name, List<Found> found, Settings settings) {
        List<Found> matches = found.stream()
                .filter(f -> f.provider() != null && f.info().name().equals(name))
                .collect(Collectors.toList());
        if (matches.size() == 1) {
            return matches.get(0).provider();
        }
        if (matches.isEmpty()) {
            return null;
        }
        String classes = matches.stream().map(f -> f.info().className() + " (" + f.info().location() + ")")
                .collect(Collectors.joining(", "));
        String chosen = settings.get("provider." + name).orElse(null);
        if (chosen == null) {
            throw new AmbiguousProviderException(matches.size() + " providers claim the name '" + name + "': "
                    + classes + ". Choose one with -Dhelios4j.provider." + name + "=CLASS, or remove a jar.");
        }
        return matches.stream().filter(f -> f.info().className().equals(chosen)).findFirst()
                .map(Found::provider)
                .orElseThrow(() -> new AmbiguousProviderException("The setting provider." + name + "=" + chosen
                        + " names none of the providers that claim '" + name + "': " + classes + "."));
    }

    private static Found failed(String className, String location, String reason) {
        return new Found(null, new ProviderInfo(className, "", className, location, reason));
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (s.length() > 0) {
                s.append(" <- ");
            }
            s.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                s.append(": ").append(t.getMessage());
            }
        }
        return s.toString();
    }

    /**
     * ServiceLoader names the class only in its message, after the service's name: "SERVICE:
     * Provider CLASS not found", "SERVICE: CLASS not a subtype", "SERVICE: CLASS Unable to get
     * public no-arg constructor", "SERVICE: FILE:LINE: Illegal provider-class name: NAME".
     */
    static String classNameIn(Throwable e) {
        String message = String.valueOf(e.getMessage());
        String service = LlmProvider.class.getName() + ": ";
        String rest = message.startsWith(service) ? message.substring(service.length()) : message;
        String illegal = "Illegal provider-class name: ";
        if (rest.contains(illegal)) {
            return firstWord(rest.substring(rest.indexOf(illegal) + illegal.length()));
        }
        if (rest.startsWith("Provider ")) {
            rest = rest.substring("Provider ".length());
        }
        String word = firstWord(rest);
        return CLASS_NAME.matcher(word).matches() ? word : UNKNOWN_CLASS;
    }

    private static String firstWord(String text) {
        String t = text.strip();
        int end = t.indexOf(' ');
        return end < 0 ? t : t.substring(0, end);
    }

    private static String locationOf(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? "" : source.getLocation().toString();
        } catch (SecurityException e) {
            return "";
        }
    }
}
