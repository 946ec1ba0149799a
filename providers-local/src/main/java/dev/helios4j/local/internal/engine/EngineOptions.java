package dev.helios4j.local.internal.engine;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.Settings;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How the llamacpp provider runs a model outside this JVM (keys under {@code llamacpp.} in
 * {@link Settings}):
 * <ul>
 *   <li>{@code isolation}: {@code in-process} (llama.cpp in this JVM) or {@code process} (a
 *       supervised engine process per model and settings);</li>
 *   <li>{@code server}: the path of a llama-server binary, or {@code auto} for the first
 *       {@code llama-server} on {@code PATH}; when set, that binary is the engine process;</li>
 *   <li>{@code server-args}: more flags for that binary, separated by spaces (no quoting);</li>
 *   <li>{@code keep-alive} (5m): how long an engine without clients stays up, as Ollama's
 *       {@code keep_alive}; 0 stops it when its last client closes;</li>
 *   <li>{@code start-timeout} (5m): how long an engine may take to load its model.</li>
 * </ul>
 *
 * @param isolation where models run when no server binary is set
 * @param server the llama-server binary to run, if any
 * @param serverArgs extra flags for that binary
 * @param keepAlive how long an unused engine stays up; zero stops it at once
 * @param startTimeout the longest wait for an engine to report itself healthy; positive
 */
public record EngineOptions(Isolation isolation, Optional<Path> server, List<String> serverArgs, Duration keepAlive,
                            Duration startTimeout) {

    /** Where llama.cpp runs. */
    public enum Isolation {
        /** In the caller's JVM, through the bundled binding. */
        IN_PROCESS,
        /** In a child process that the caller supervises. */
        PROCESS
    }

    /**
     * Models run in an engine process unless asked otherwise: native code there can abort, hang or
     * hold memory without touching the caller's JVM (a notebook kernel).
     */
    static final Isolation DEFAULT_ISOLATION = Isolation.PROCESS;

    /** Checks the components. */
    public EngineOptions {
        serverArgs = List.copyOf(serverArgs);
        if (startTimeout.isZero()) {
            throw new InvalidRequestException("The setting llamacpp.start-timeout must be positive, got 0.");
        }
    }

    /**
     * Reads the settings; fails naming the key on a malformed value or a server binary that is not there.
     *
     * @param s the settings; never null
     * @return the options
     */
    public static EngineOptions from(Settings s) {
        Isolation isolation = s.get("llamacpp.isolation").map(EngineOptions::isolation).orElse(DEFAULT_ISOLATION);
        Optional<Path> server = s.get("llamacpp.server").map(v -> server(v, s.env("PATH").orElse("")));
        List<String> args = s.get("llamacpp.server-args").map(v -> Arrays.asList(v.strip().split("\\s+")))
                .orElse(List.of());
        return new EngineOptions(isolation, server, args, s.getDuration("llamacpp.keep-alive", Duration.ofMinutes(5)),
                s.getDuration("llamacpp.start-timeout", Duration.ofMinutes(5)));
    }

    /** @return whether models run in an engine process (a server binary is set, or isolation is process) */
    public boolean outOfProcess() {
        return server.isPresent() || isolation == Isolation.PROCESS;
    }

    private static Isolation isolation(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "in-process" -> Isolation.IN_PROCESS;
            case "process" -> Isolation.PROCESS;
            default -> throw new InvalidRequestException("The setting llamacpp.isolation must be 'process' (a "
                    + "supervised engine process per model) or 'in-process' (llama.cpp in this JVM), got '" + value + "'.");
        };
    }

    static Path server(String value, String searchPath) {
        if (value.equalsIgnoreCase("auto")) {
            for (String dir : searchPath.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path candidate = Path.of(dir, "llama-server");
                    if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                        return candidate.toAbsolutePath();
                    }
                }
            }
            throw new InvalidRequestException("llamacpp.server=auto found no 'llama-server' on PATH. Install llama.cpp's "
                    + "server, or set llamacpp.server to the binary's path (e.g. -Dhelios4j.llamacpp.server=/opt/llama.cpp"
                    + "/build/bin/llama-server).");
        }
        Path binary = Path.of(value.startsWith("~/") ? System.getProperty("user.home") + value.substring(1) : value);
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            throw new InvalidRequestException("The setting llamacpp.server names " + binary.toAbsolutePath() + ", which "
                    + (Files.exists(binary) ? "is not an executable file" : "does not exist") + ". Give the path of a "
                    + "llama-server binary (llama.cpp's build/bin/llama-server), or 'auto' to take the one on PATH.");
        }
        return binary.toAbsolutePath();
    }
}
