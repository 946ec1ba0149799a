package dev.helios4j.local.internal.engine;

import dev.helios4j.Secret;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program that speaks llama-server's HTTP API once started with its flags, minus the host, port
 * and key that each start adds. Two such programs exist: a real llama-server and helios4j's Java
 * engine server. Immutable; equal commands share one engine.
 *
 * @param name what the engine is called in messages, such as {@code llama-server}
 * @param executable the program
 * @param args its arguments before {@code --host}, {@code --port} and the key
 * @param exitsOnStdinEof whether the program ends by itself when its stdin closes; when not, a
 *     watchdog shell ends it, so that it dies with this JVM, even one killed with {@code kill -9}
 * @param keyInEnvironment pass the key as {@code LLAMA_API_KEY} (llama-server reads it) rather than
 *     {@code --api-key}, where every local user could read it in the process list
 */
public record EngineCommand(String name, Path executable, List<String> args, boolean exitsOnStdinEof,
                            boolean keyInEnvironment) {

    /** The main class of helios4j's own engine server, which takes llama-server's flags. */
    public static final String JAVA_SERVER_CLASS = "dev.helios4j.local.internal.engine.EngineServer";

    /**
     * Runs {@code child}; a background reader of this shell's stdin (the JVM's pipe) kills it on
     * end of file, which comes when the JVM closes the pipe or dies. The child's own stdin is
     * /dev/null and it does not hold the pipe. The shell exits with the child's status (128 + the
     * signal when a signal ended it), and takes its reader with it.
     */
    static final String WATCHDOG = """
            exec 3<&0 0</dev/null
            "$@" 3<&- &
            c=$!
            { while read -r _ <&3; do :; done; kill -KILL "$c" 2>/dev/null; } &
            w=$!
            exec 3<&-
            wait "$c"
            s=$?
            kill -KILL "$w" 2>/dev/null
            exit "$s"
            """;

    /** Checks the components. */
    public EngineCommand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(executable, "executable");
        args = List.copyOf(args);
    }

    /**
     * A real llama-server on a model.
     *
     * @param binary the llama-server binary
     * @param flags the model and its settings
     * @param extraArgs more flags for this binary (the setting {@code llamacpp.server-args})
     * @return the command
     */
    public static EngineCommand llamaServer(Path binary, EngineFlags flags, List<String> extraArgs) {
        List<String> args = new ArrayList<>(flags.toArgs());
        args.addAll(extraArgs);
        return new EngineCommand("llama-server", binary, args, false, true);
    }

    /**
     * The same program with more flags after these, such as {@code --embeddings}.
     *
     * @param more the flags to add
     * @return a new command; equal to others with the same flags, so they share one engine
     */
    public EngineCommand with(List<String> more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(more);
        return new EngineCommand(name, executable, all, exitsOnStdinEof, keyInEnvironment);
    }

    /**
     * helios4j's Java engine server on a model: {@code java [jvmOptions] -cp CLASSPATH
     * dev.helios4j.local.internal.engine.EngineServer FLAGS}. It exits when its stdin closes.
     *
     * @param java the java launcher
     * @param classpath the jars and folders of helios4j and its dependencies
     * @param jvmOptions options for the child JVM
     * @param flags the model and its settings
     * @return the command
     */
    public static EngineCommand javaServer(Path java, List<Path> classpath, List<String> jvmOptions, EngineFlags flags) {
        List<String> args = new ArrayList<>(jvmOptions);
        args.add("-cp");
        args.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        args.add(JAVA_SERVER_CLASS);
        args.addAll(flags.toArgs());
        return new EngineCommand("helios4j-engine-server", java, args, true, true);
    }

    /**
     * The program and arguments for one start on {@code port}, exactly: the key goes in only when
     * not in the environment. (Not a Commons Exec {@code CommandLine}, which trims every argument
     * and expands {@code ${...}}: a chat template must reach the engine byte for byte.)
     */
    List<String> argv(int port, Secret key) {
        List<String> line = new ArrayList<>();
        if (!exitsOnStdinEof) {
            line.addAll(List.of("/bin/sh", "-c", WATCHDOG, "helios4j-engine")); // the last is the script's $0
        }
        line.add(executable.toString());
        line.addAll(args);
        line.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port)));
        if (!keyInEnvironment) {
            line.addAll(List.of("--api-key", key.reveal()));
        }
        return line;
    }

    /** Variables to add to this JVM's environment for the child. */
    Map<String, String> environment(Secret key) {
        return keyInEnvironment ? Map.of("LLAMA_API_KEY", key.reveal()) : Map.of();
    }

    /** For messages: the name and the program, never the arguments (a template can be long). */
    String describe() {
        return name + " (" + executable + ")";
    }
}
