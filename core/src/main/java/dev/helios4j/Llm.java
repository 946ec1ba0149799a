package dev.helios4j;

import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.LlmProvider;
import dev.helios4j.spi.ProviderContext;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The entry point: opens models by spec and lists the providers on the classpath.
 *
 * <pre>{@code
 * try (LlmClient llm = Llm.open("demo")) {
 *     System.out.println(llm.chat("Hello"));
 * }
 * }</pre>
 *
 * <p>A spec is {@code PROVIDER:MODEL} ({@code openai:gpt-4o-mini}, {@code llamacpp:/models/x.gguf},
 * {@code llamacpp:hf:ORG/REPO/FILE.gguf}) or an alias ({@code demo}, or one defined as
 * {@code alias.NAME=SPEC} in the {@link Settings}). Providers are looked up afresh on every call,
 * through the thread's context class loader and then helios4j's own, so a provider jar added to a
 * running notebook is found without a restart. All methods are thread-safe.
 */
public final class Llm {
    private static final System.Logger LOG = System.getLogger(Llm.class.getName());
    private static final Map<String, String> KNOWN_ARTIFACTS = Map.of(
            "llamacpp", "dev.helios4j:helios4j-provider-local",
            "openai", "dev.helios4j:helios4j-provider-remote");

    private Llm() {
    }

    /**
     * Opens the configured default model: the setting {@code model} (system property
     * {@code helios4j.model}, environment {@code HELIOS4J_MODEL}, or {@code model=} in the
     * configuration file). With nothing configured it opens the built-in {@code demo} model and
     * logs one line saying how to pick a real one.
     *
     * @return an open client, owned by the caller; never null
     * @throws LlmException when the model cannot be opened; the message says what to do
     */
    public static LlmClient open() {
        return open(Settings.load());
    }

    /**
     * Opens the default model named by these settings, or {@code demo} when they name none.
     *
     * @param settings the settings to use; never null
     * @return an open client, owned by the caller; never null
     * @throws LlmException when the model cannot be opened
     */
    public static LlmClient open(Settings settings) {
        String spec = settings.get("model").orElse(null);
        if (spec == null) {
            LOG.log(Level.INFO, "No model configured, so helios4j uses its built-in 'demo' model. Pick a real one "
                    + howToPickAModel(System.getProperty("sun.java.command", ""), settings)
                    + " (" + ModelSpec.EXAMPLES + ")");
            spec = "demo";
        }
        return open(spec, settings);
    }

    /**
     * Opens a model by spec, with settings read from this JVM now.
     *
     * @param spec {@code PROVIDER:MODEL} or an alias; never null
     * @return an open client, owned by the caller; never null
     * @throws InvalidRequestException for a blank or malformed spec
     * @throws ProviderNotFoundException when no provider on the classpath has that name
     * @throws AmbiguousProviderException when several do and no setting picks one
     * @throws LlmException when the provider cannot open the model (a subtype says why)
     */
    public static LlmClient open(String spec) {
        return open(spec, Settings.load());
    }

    /**
     * Opens a model by spec with explicit settings.
     *
     * @param spec {@code PROVIDER:MODEL} or an alias; never null
     * @param settings the settings to use; never null
     * @return an open client, owned by the caller; never null
     * @throws LlmException as {@link #open(String)} does
     */
    public static LlmClient open(String spec, Settings settings) {
        java.util.Objects.requireNonNull(settings, "settings");
        ModelSpec resolved = ModelSpec.resolve(spec, settings);
        List<ProviderRegistry.Found> found = ProviderRegistry.discover();
        LlmProvider provider = ProviderRegistry.select(resolved.provider(), found, settings);
        if (provider == null) {
            throw new ProviderNotFoundException(notFound(spec, resolved, found));
        }
        if (!provider.accepts(resolved.model())) {
            throw new InvalidRequestException("The provider '" + provider.name() + "' does not accept the model '"
                    + resolved.model() + "'. " + provider.description());
        }
        ChatEngine engine;
        try {
            engine = provider.open(new ProviderContext(resolved.toString(), resolved.model(), settings));
        } catch (LlmException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new LlmException("The provider '" + provider.name() + "' failed to open '" + resolved + "': " + e
                    + ". This is a bug in the provider " + provider.getClass().getName() + "; please report it.", e);
        }
        if (engine == null) {
            throw new LlmException("The provider " + provider.getClass().getName() + " returned no engine for '"
                    + resolved + "'; this is a bug in the provider.");
        }
        return new LlmClient(spec.strip(), resolved.toString(), provider.name(), engine, capabilities(provider));
    }

    /**
     * Lists the providers on the classpath, found afresh, including those that failed to load
     * and why.
     *
     * @return one entry per provider class; never null
     */
    public static List<ProviderInfo> providers() {
        return ProviderRegistry.discover().stream().map(ProviderRegistry.Found::info).collect(Collectors.toList());
    }

    /** The provider's own list, or chat alone when it fails to say: a broken list must not break opening. */
    private static java.util.Set<Capability> capabilities(LlmProvider provider) {
        try {
            java.util.Set<Capability> declared = provider.capabilities();
            return declared == null || declared.isEmpty() ? java.util.Set.of(Capability.CHAT)
                    : java.util.Set.copyOf(declared);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "The provider " + provider.getClass().getName() + " failed to list its capabilities: "
                    + e);
            return java.util.Set.of(Capability.CHAT);
        }
    }

    /** The names of the providers on the classpath that have a capability, for error messages. */
    static List<String> providersThatCan(Capability capability) {
        return providers().stream().filter(p -> p.can(capability)).map(ProviderInfo::name).distinct()
                .collect(Collectors.toList());
    }

    /**
     * How to set the default model from where this JVM was started: in JShell a system property
     * must reach the JVM that runs the snippets, which the plain {@code -D} of a program's command
     * line does not.
     *
     * @param javaCommand this JVM's main class and arguments, as the {@code sun.java.command} property has them
     */
    static String howToPickAModel(String javaCommand, Settings settings) {
        String elsewhere = "HELIOS4J_MODEL=SPEC in the environment, or model=SPEC in " + settings.configFile();
        if (javaCommand.startsWith("jdk.jshell.execution.")) {
            // The JVM that runs JShell's snippets: ./helios4j and jshell pass options to it with -R.
            return "by starting JShell with -R-Dhelios4j.model=SPEC (./helios4j -R-Dhelios4j.model=SPEC), " + elsewhere;
        }
        if (javaCommand.contains("jdk.internal.jshell.tool")) {
            return "by starting JShell with -J-Dhelios4j.model=SPEC, " + elsewhere; // jshell --execution local
        }
        return "with -Dhelios4j.model=SPEC on the java command line, " + elsewhere;
    }

    private static String notFound(String spec, ModelSpec resolved, List<ProviderRegistry.Found> found) {
        StringBuilder s = new StringBuilder("No provider named '").append(resolved.provider())
                .append("' for the spec '").append(spec.strip()).append("'. ");
        List<ProviderInfo> working = found.stream().map(ProviderRegistry.Found::info)
                .filter(ProviderInfo::isAvailable).collect(Collectors.toList());
        List<ProviderInfo> broken = found.stream().map(ProviderRegistry.Found::info)
                .filter(i -> !i.isAvailable()).collect(Collectors.toList());
        s.append(working.isEmpty() ? "No providers were found."
                : "Providers found: " + working.stream().map(ProviderInfo::name).collect(Collectors.joining(", ")) + ".");
        for (ProviderInfo b : broken) {
            s.append(" Failed to load: ").append(b.className()).append(" (").append(b.failure()).append(").");
        }
        String artifact = KNOWN_ARTIFACTS.get(resolved.provider());
        s.append(artifact != null
                ? " Add " + artifact + " (or the helios4j-all jar) to the classpath; in a notebook, %maven or %jars loads it."
                : " Add the jar of a provider named '" + resolved.provider() + "' to the classpath; it must list its class in "
                        + "META-INF/services/dev.helios4j.spi.LlmProvider.");
        return s.toString();
    }
}
