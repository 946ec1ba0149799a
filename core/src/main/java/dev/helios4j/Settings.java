package dev.helios4j;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where helios4j reads its configuration: the default model, aliases and provider options.
 * Immutable and thread-safe.
 *
 * <p>A key such as {@code openai.base-url} is looked up in four layers, highest first:
 * <ol>
 *   <li>values set in code with {@link #with(String, String)};</li>
 *   <li>the system property {@code helios4j.openai.base-url};</li>
 *   <li>the environment variable {@code HELIOS4J_OPENAI_BASE_URL} (upper case, '.' and '-' as '_');</li>
 *   <li>the file {@code ~/.config/helios4j/config.properties} (or {@code $XDG_CONFIG_HOME/helios4j/},
 *       or the file named by the key {@code config} in the layers above, such as
 *       {@code HELIOS4J_CONFIG}; a leading {@code ~/} there means the home directory).</li>
 * </ol>
 *
 * <p>Mistakes that would otherwise pass unseen are logged as warnings ({@link System.Logger}, once
 * per JVM for each file and key): a {@code config} setting naming a file that does not exist (the
 * file layer is then empty), a value in the file followed by a {@code # comment} (properties files
 * have none after a value: the comment is cut off, see the README), and, when a provider asks
 * through {@link #warnUnknownKeys(String, Collection)}, a misspelt key under its prefix.
 *
 * <p>Well-known keys: {@code model} (the spec {@code Llm.open()} uses), {@code alias.NAME} (a spec
 * that {@code NAME} stands for), {@code provider.NAME} (the class that wins when two providers
 * claim {@code NAME}). Providers document their own keys. {@link #toString()} never shows values,
 * so secrets kept here do not leak into logs.
 */
public final class Settings {
    private static final String PROPERTY_PREFIX = "helios4j.";
    private static final String ENV_PREFIX = "HELIOS4J_";
    private static final String ALIAS_PREFIX = "alias.";
    /** The longest duration accepted: beyond it, deadline arithmetic in nanoseconds overflows. */
    static final Duration MAX_DURATION = Duration.ofDays(365);
    private static final System.Logger LOG = System.getLogger(Settings.class.getName());
    /** What was warned about in this JVM: settings are read on every open, warnings are not repeated. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private final Map<String, String> code;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;
    private final Map<String, String> file;
    private final Path fileLocation;

    private Settings(Map<String, String> code, Map<String, String> systemProperties,
                     Map<String, String> environment, Path home) {
        this.code = Map.copyOf(code);
        this.systemProperties = Map.copyOf(systemProperties);
        this.environment = Map.copyOf(environment);
        this.fileLocation = locateFile(home);
        this.file = ConfigFile.read(fileLocation);
    }

    private Settings(Settings base, Map<String, String> code) {
        this.code = Map.copyOf(code);
        this.systemProperties = base.systemProperties;
        this.environment = base.environment;
        this.fileLocation = base.fileLocation;
        this.file = base.file;
    }

    /**
     * Reads this JVM's system properties, environment and configuration file, as they are now.
     *
     * @return the settings
     * @throws InvalidRequestException when the configuration file exists but cannot be read
     */
    public static Settings load() {
        Map<String, String> properties = new HashMap<>();
        for (String name : System.getProperties().stringPropertyNames()) {
            properties.put(name, System.getProperty(name));
        }
        return new Settings(Map.of(), properties, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * Settings from explicit layers, for tests and embedding: nothing is read from this JVM.
     *
     * @param systemProperties stands in for {@link System#getProperties()}; never null
     * @param environment stands in for {@link System#getenv()}; never null
     * @param home the home directory under which {@code .config/helios4j} is looked for; never null
     * @return the settings
     * @throws InvalidRequestException when the configuration file exists but cannot be read
     */
    public static Settings of(Map<String, String> systemProperties, Map<String, String> environment, Path home) {
        return new Settings(Map.of(), systemProperties, environment, home);
    }

    /**
     * Returns settings where {@code key} has {@code value}, above every other layer.
     *
     * @param key a key such as {@code model} or {@code openai.base-url}; never null
     * @param value its value; never null
     * @return new settings; this one is unchanged
     */
    public Settings with(String key, String value) {
        Map<String, String> next = new HashMap<>(code);
        next.put(normalize(key), java.util.Objects.requireNonNull(value, "value"));
        return new Settings(this, next);
    }

    /**
     * Looks a key up through the layers, highest first.
     *
     * @param key a key such as {@code openai.base-url}; never null
     * @return its value, or empty when no layer sets it (blank values count as unset)
     */
    public Optional<String> get(String key) {
        String k = normalize(key);
        return firstNonBlank(code.get(k), systemProperties.get(PROPERTY_PREFIX + k),
                environment.get(envName(k)), file.get(k));
    }

    /**
     * Looks up a whole number.
     *
     * @param key the key; never null
     * @param fallback the value when no layer sets the key
     * @param min the smallest value accepted
     * @return the value, or {@code fallback}
     * @throws InvalidRequestException naming the key when the value is not a number of at least {@code min}
     */
    public int getInt(String key, int fallback, int min) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the accepted range
        }
        throw new InvalidRequestException("The setting " + normalize(key) + " must be a whole number of at least "
                + min + ", got '" + v.get() + "'.");
    }

    /**
     * Looks up a switch: true, yes, on or 1; false, no, off or 0.
     *
     * @param key the key; never null
     * @param fallback the value when no layer sets the key
     * @return the value, or {@code fallback}
     * @throws InvalidRequestException naming the key for any other value
     */
    public boolean getBoolean(String key, boolean fallback) {
        Optional<String> v = get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw new InvalidRequestException("The setting " + normalize(key) + " must be true or false, got '"
                        + v.get() + "'.");
        }
    }

    /**
     * Looks up a duration: {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, ISO-8601 such as
     * {@code PT30S}, or a bare number of seconds. Zero is allowed (callers read it as "no limit");
     * more than 365 days is refused, since a caller computing a deadline from it would overflow.
     *
     * @param key the key; never null
     * @param fallback the value when no layer sets the key
     * @return the value, or {@code fallback}
     * @throws InvalidRequestException naming the key and the accepted range for a malformed,
     *     negative or longer value
     */
    public Duration getDuration(String key, Duration fallback) {
        Optional<String> v = get(key);
        return v.isEmpty() ? fallback : parseDuration(normalize(key), v.get());
    }

    static Duration parseDuration(String key, String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("p")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).strip()));
            } else {
                char unit = t.charAt(t.length() - 1);
                String number = Character.isDigit(unit) ? t : t.substring(0, t.length() - 1).strip();
                double seconds = Double.parseDouble(number) * switch (unit) {
                    case 'h' -> 3600;
                    case 'm' -> 60;
                    case 's' -> 1;
                    default -> {
                        if (!Character.isDigit(unit)) {
                            throw new NumberFormatException(text);
                        }
                        yield 1;
                    }
                };
                if (!Double.isFinite(seconds) || Math.abs(seconds) > MAX_DURATION.getSeconds() + 1) {
                    throw new InvalidRequestException(tooLong(key, text));
                }
                d = Duration.ofNanos(Math.round(seconds * 1e9));
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException e) {
            throw new InvalidRequestException("The setting " + key + " must be a duration such as 500ms, 30s, 2m or "
                    + "PT1M, got '" + text + "'.", e);
        }
        if (d.isNegative()) {
            throw new InvalidRequestException("The setting " + key + " must not be negative, got '" + text + "'.");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new InvalidRequestException(tooLong(key, text));
        }
        return d;
    }

    private static String tooLong(String key, String text) {
        return "The setting " + key + " must be a duration from 0 to 365 days, got '" + text + "'. For no limit, "
                + "set it to 0.";
    }

    /**
     * Logs a warning for every key under {@code prefix} that some layer sets but that is not one of
     * {@code knownKeys}, naming the nearest known key: {@code openai.timeout.first-byt} is otherwise
     * ignored without a word. Each key is reported once per JVM. Providers call this when they read
     * their settings. Never fails and never logs a value.
     *
     * @param prefix the provider's part of the key space, such as {@code "openai."}; never null
     * @param knownKeys every key the caller reads under {@code prefix}, such as
     *     {@code "openai.timeout.idle"}; never null
     */
    public void warnUnknownKeys(String prefix, Collection<String> knownKeys) {
        String p = normalize(prefix);
        List<String> known = knownKeys.stream().map(Settings::normalize).toList();
        List<String> knownProperties = known.stream().map(k -> PROPERTY_PREFIX + k).toList();
        List<String> knownEnv = known.stream().map(Settings::envName).toList();
        warnUnknown(code.keySet(), p, known, "set in code");
        warnUnknown(systemProperties.keySet(), PROPERTY_PREFIX + p, knownProperties, "a system property");
        warnUnknown(environment.keySet(), envName(p), knownEnv, "an environment variable");
        warnUnknown(file.keySet(), p, known, "in " + fileLocation);
    }

    private static void warnUnknown(Collection<String> names, String prefix, List<String> known, String where) {
        for (String name : names) {
            if (name.startsWith(prefix) && !known.contains(name)) {
                warnOnce("unknown " + where + " " + name, "Unknown setting " + name + " (" + where + ") is ignored."
                        + (known.isEmpty() ? "" : " Did you mean " + EditDistance.nearest(name, known)
                        + "? The known settings are " + String.join(", ", known) + "."));
            }
        }
    }

    /** Logs {@code message} as a warning unless a warning with the same {@code id} was logged before. */
    static void warnOnce(String id, String message) {
        if (WARNED.add(id)) {
            LOG.log(Level.WARNING, message);
        }
    }

    /**
     * Reads a raw environment variable, such as {@code OPENAI_API_KEY} or {@code HF_HOME}, from the
     * environment layer (so tests can substitute it).
     *
     * @param name the variable's exact name; never null
     * @return its value, or empty when unset or blank
     */
    public Optional<String> env(String name) {
        return firstNonBlank(environment.get(name));
    }

    /**
     * Every alias the layers define, the higher layer winning for each name.
     *
     * @return alias name (lower case) to spec; never null
     */
    public Map<String, String> aliases() {
        Map<String, String> result = new TreeMap<>();
        file.forEach((k, v) -> putAlias(result, k, v));
        environment.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX + "ALIAS_")) {
                putAlias(result, ALIAS_PREFIX + k.substring((ENV_PREFIX + "ALIAS_").length()), v);
            }
        });
        systemProperties.forEach((k, v) -> {
            if (k.startsWith(PROPERTY_PREFIX)) {
                putAlias(result, k.substring(PROPERTY_PREFIX.length()), v);
            }
        });
        code.forEach((k, v) -> putAlias(result, k, v));
        return result;
    }

    /** @return the configuration file looked for, whether or not it exists */
    public Path configFile() {
        return fileLocation;
    }

    /** @return where the file layer comes from; values are never shown */
    @Override
    public String toString() {
        return "Settings[file " + fileLocation + (Files.isRegularFile(fileLocation) ? "" : " (absent)")
                + ", " + code.size() + " set in code]";
    }

    private static void putAlias(Map<String, String> into, String key, String value) {
        String k = normalize(key);
        if (k.startsWith(ALIAS_PREFIX) && k.length() > ALIAS_PREFIX.length() && !value.isBlank()) {
            into.put(k.substring(ALIAS_PREFIX.length()), value.trim());
        }
    }

    private Path locateFile(Path home) {
        Optional<String> explicit = firstNonBlank(code.get("config"),
                systemProperties.get(PROPERTY_PREFIX + "config"), environment.get(ENV_PREFIX + "CONFIG"));
        if (explicit.isPresent()) {
            String named = explicit.get();
            Path path = named.equals("~") ? home
                    : named.startsWith("~/") ? home.resolve(named.substring(2)) : Path.of(named);
            if (!Files.isRegularFile(path)) {
                String by = code.containsKey("config") ? "the setting config"
                        : firstNonBlank(systemProperties.get(PROPERTY_PREFIX + "config")).isPresent()
                        ? "the system property " + PROPERTY_PREFIX + "config" : "the environment variable "
                        + ENV_PREFIX + "CONFIG";
                // A warning, not an error: settings are read on every open, and a stale variable in a
                // shell profile should not make every model, the offline demo included, unusable.
                warnOnce("config " + path.toAbsolutePath(), "The helios4j configuration file "
                        + path.toAbsolutePath() + " named by " + by + (Files.exists(path) ? " is not a regular file"
                        : " does not exist") + ", so no settings are read from a file. Fix the path, or unset " + by
                        + " to use " + defaultFile(home) + ".");
            }
            return path;
        }
        return defaultFile(home);
    }

    private Path defaultFile(Path home) {
        Path base = firstNonBlank(environment.get("XDG_CONFIG_HOME")).map(Path::of)
                .orElse(home.resolve(".config"));
        return base.resolve("helios4j").resolve("config.properties");
    }

    private static String normalize(String key) {
        return java.util.Objects.requireNonNull(key, "key").trim().toLowerCase(Locale.ROOT);
    }

    private static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static Optional<String> firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return Optional.of(v.trim());
            }
        }
        return Optional.empty();
    }
}
