package dev.helios4j.local.hf;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Secret;
import dev.helios4j.Settings;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The environment variables and home folder that decide where the Hugging Face cache is, whether
 * the network may be used, which endpoint and which token. Read from a map rather than from
 * {@link System#getenv()} so that tests, notebooks and JShell sessions can pass their own.
 *
 * <p>Variables honoured, as huggingface_hub reads them: {@code HF_HUB_CACHE} (and the older
 * {@code HUGGINGFACE_HUB_CACHE}), {@code HF_HOME}, {@code XDG_CACHE_HOME}, {@code HF_HUB_OFFLINE}
 * (and {@code TRANSFORMERS_OFFLINE}), {@code HF_ENDPOINT}, {@code HF_TOKEN} (and the older
 * {@code HUGGING_FACE_HUB_TOKEN}, then the token file {@code HF_TOKEN_PATH} or
 * {@code $HF_HOME/token} that {@code hf auth login} writes), and {@code PATH} to find the CLI.
 * Empty values count as unset.
 *
 * <p>{@link #from(Settings)} (and {@link #system()}) also read helios4j's settings, which win
 * over the variable each stands for, so a value given in code, as a {@code helios4j.*} system
 * property, as {@code HELIOS4J_HF_*} or in the config file reaches every {@code llamacpp:hf:}
 * open: {@code hf.endpoint} ({@code HF_ENDPOINT}), {@code hf.token} ({@code HF_TOKEN}),
 * {@code hf.home} ({@code HF_HOME}), {@code hf.hub-cache} ({@code HF_HUB_CACHE}),
 * {@code hf.offline} ({@code HF_HUB_OFFLINE}), and {@code hf.cli}: the path of the {@code hf} or
 * {@code huggingface-cli} executable to run, or {@code none} for the built-in downloader.
 *
 * <p>Immutable and thread-safe. {@link #toString()} says whether a token is set, never what it
 * is, and masks credentials in the endpoint.
 */
public final class HfEnvironment {
    /** The Hub the built-in downloader talks to when {@code HF_ENDPOINT} is not set. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    /** The variables this class reads: from settings they come from the settings' environment layer only. */
    private static final List<String> READ = List.of("HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME",
            "XDG_CACHE_HOME", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_ENDPOINT", "HF_TOKEN",
            "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "PATH");

    private final Map<String, String> variables;
    private final Path home;
    private final String cli;

    private HfEnvironment(Map<String, String> variables, Path home, String cli) {
        this.variables = Map.copyOf(variables);
        this.home = home.toAbsolutePath().normalize();
        this.cli = cli;
    }

    /**
     * The environment of this JVM as helios4j's settings see it: {@link #from(Settings)} of
     * {@link Settings#load()}.
     *
     * @throws dev.helios4j.InvalidRequestException when the configuration file cannot be read, or
     *     {@code hf.offline} is not a switch
     */
    public static HfEnvironment system() {
        return from(Settings.load());
    }

    /**
     * The environment that helios4j's settings describe: each {@code hf.*} setting (see the class
     * documentation), else the Hugging Face variable of the settings' environment layer. A CLI
     * started from here inherits the rest of this JVM's environment ({@code HOME}, proxies), as
     * any child process would.
     *
     * @param settings where the values come from; never null
     * @throws dev.helios4j.InvalidRequestException when {@code hf.offline} is not a switch
     */
    public static HfEnvironment from(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        Map<String, String> vars = new HashMap<>(System.getenv());
        for (String name : READ) {
            vars.remove(name);
            settings.env(name).ifPresent(v -> vars.put(name, v));
        }
        settings.get("hf.endpoint").ifPresent(v -> vars.put("HF_ENDPOINT", v));
        settings.get("hf.token").ifPresent(v -> {
            vars.put("HF_TOKEN", v);
            vars.remove("HUGGING_FACE_HUB_TOKEN");
        });
        settings.get("hf.home").ifPresent(v -> vars.put("HF_HOME", v));
        settings.get("hf.hub-cache").ifPresent(v -> {
            vars.put("HF_HUB_CACHE", v);
            vars.remove("HUGGINGFACE_HUB_CACHE");
        });
        if (settings.get("hf.offline").isPresent()) {
            vars.put("HF_HUB_OFFLINE", settings.getBoolean("hf.offline", false) ? "1" : "0");
            vars.remove("TRANSFORMERS_OFFLINE");
        }
        return new HfEnvironment(vars, Path.of(System.getProperty("user.home")), settings.get("hf.cli").orElse(null));
    }

    /**
     * An environment made of the given variables and home folder, nothing else.
     *
     * @param variables environment variables; null values are dropped
     * @param home the user's home folder, used for {@code ~/.cache/huggingface/hub}
     */
    public static HfEnvironment of(Map<String, String> variables, Path home) {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(home, "home");
        Map<String, String> copy = new HashMap<>();
        variables.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        return new HfEnvironment(copy, home, null);
    }

    /** @return this environment with one variable set (or removed, when {@code value} is null) */
    public HfEnvironment with(String name, String value) {
        Map<String, String> copy = new HashMap<>(variables);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return new HfEnvironment(copy, home, cli);
    }

    /** @return the CLI the setting {@code hf.cli} names (a path, or {@code none}), when it is set */
    Optional<String> cli() {
        return Optional.ofNullable(cli);
    }

    /** @return the value of a variable, absent when unset or empty */
    public Optional<String> get(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    /** @return the home folder this environment uses */
    public Path home() {
        return home;
    }

    /**
     * The cache folder: {@code HF_HUB_CACHE}; otherwise {@code HF_HOME/hub}; otherwise
     * {@code XDG_CACHE_HOME/huggingface/hub}; otherwise {@code ~/.cache/huggingface/hub}.
     */
    public Path cacheDir() {
        return get("HF_HUB_CACHE").or(() -> get("HUGGINGFACE_HUB_CACHE"))
                .map(this::path)
                .orElseGet(() -> hfHome().resolve("hub"));
    }

    /** The Hugging Face home: {@code HF_HOME}, else {@code XDG_CACHE_HOME/huggingface}, else {@code ~/.cache/huggingface}. */
    public Path hfHome() {
        return get("HF_HOME").map(this::path)
                .orElseGet(() -> get("XDG_CACHE_HOME").map(this::path).orElseGet(() -> home.resolve(".cache"))
                        .resolve("huggingface"));
    }

    /** @return whether {@code HF_HUB_OFFLINE} (or {@code TRANSFORMERS_OFFLINE}) is 1, true, yes or on */
    public boolean offline() {
        return get("HF_HUB_OFFLINE").or(() -> get("TRANSFORMERS_OFFLINE"))
                .map(v -> switch (v.trim().toUpperCase(Locale.ROOT)) {
                    case "1", "TRUE", "YES", "ON" -> true;
                    default -> false;
                })
                .orElse(false);
    }

    /**
     * @return the Hub endpoint, {@code HF_ENDPOINT} without a trailing slash, or the public Hub
     * @throws InvalidRequestException if {@code HF_ENDPOINT} is not an http or https URL
     */
    public URI endpoint() {
        String raw = get("HF_ENDPOINT").orElse(DEFAULT_ENDPOINT).trim();
        while (raw.endsWith("/")) {
            raw = raw.substring(0, raw.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(raw);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("HF_ENDPOINT '" + Secret.redactUrl(raw) + "' is not a URL. Set it to an http(s) URL"
                    + " such as " + DEFAULT_ENDPOINT + ", or unset it.", e);
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new InvalidRequestException("HF_ENDPOINT '" + Secret.redactUrl(raw) + "' is not an http(s) URL with a host."
                    + " Set it to a URL such as " + DEFAULT_ENDPOINT + ", or unset it.");
        }
        return uri;
    }

    /** @return whether a token is available, without revealing it */
    public boolean hasToken() {
        return token().isPresent();
    }

    /** The token; package-private so it cannot leak through a notebook cell by accident. */
    Optional<String> token() {
        Optional<String> fromEnv = get("HF_TOKEN").or(() -> get("HUGGING_FACE_HUB_TOKEN")).map(String::trim);
        if (fromEnv.isPresent()) {
            return fromEnv;
        }
        Path file = get("HF_TOKEN_PATH").map(this::path).orElseGet(() -> hfHome().resolve("token"));
        try {
            if (Files.isRegularFile(file)) {
                String value = Files.readString(file, StandardCharsets.UTF_8).trim();
                return value.isEmpty() ? Optional.empty() : Optional.of(value);
            }
        } catch (IOException | SecurityException e) {
            // An unreadable token file means anonymous access, as with huggingface_hub.
        }
        return Optional.empty();
    }

    /** The variables for a child process; holds the token, so it never leaves this package. */
    Map<String, String> variables() {
        return variables;
    }

    private Path path(String value) {
        if (value.equals("~")) {
            return home;
        }
        if (value.startsWith("~/")) {
            return home.resolve(value.substring(2)).normalize();
        }
        return Path.of(value).toAbsolutePath().normalize();
    }

    @Override
    public String toString() {
        return "HfEnvironment[cache=" + cacheDir() + ", offline=" + offline()
                + ", endpoint=" + Secret.redactUrl(get("HF_ENDPOINT").orElse(DEFAULT_ENDPOINT))
                + ", token=" + (hasToken() ? "set" : "unset") + "]";
    }
}
