package dev.helios4j.local.internal.engine;

import dev.helios4j.LlmException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What the Java engine server's JVM runs: this JVM's java launcher, and a class path found from
 * where helios4j's classes and their dependencies were loaded, not from {@code java.class.path},
 * which in a notebook does not list a jar added with {@code %jars}. A shaded jar holding them all
 * gives one entry.
 */
public final class EngineClasspath {
    /** One class from each jar the engine server needs; the first ones must be present. */
    static final List<String> ANCHORS = List.of(
            "dev.helios4j.local.internal.engine.EngineClasspath",   // providers-local
            "dev.helios4j.Llm",                            // core
            "de.kherud.llama.LlamaModel",                  // java-llama.cpp
            "com.fasterxml.jackson.databind.ObjectMapper",
            "com.fasterxml.jackson.core.JsonFactory",
            "com.fasterxml.jackson.annotation.JsonProperty",
            "com.fasterxml.jackson.datatype.jdk8.Jdk8Module", // core's typed answers
            "org.apache.commons.exec.CommandLine",
            "dev.helios4j.remote.OpenAiProvider");         // providers-remote
    private static final int REQUIRED = 3;

    private EngineClasspath() {
    }

    /**
     * The java launcher of the runtime this JVM runs on ({@code java.home}), else this process's
     * command. {@code java.home} comes first: the process may be a launcher such as {@code jshell}.
     *
     * @return the launcher
     * @throws LlmException when neither is an executable file
     */
    static Path javaExecutable() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        Path home = Path.of(System.getProperty("java.home"), "bin", windows ? "java.exe" : "java");
        if (Files.isExecutable(home)) {
            return home;
        }
        return ProcessHandle.current().info().command().map(Path::of)
                .filter(p -> p.getFileName().toString().startsWith("java") && Files.isExecutable(p))
                .orElseThrow(() -> new LlmException("Cannot find a java launcher to start the engine process: "
                        + home + " is missing and this process (" + ProcessHandle.current().info().command().orElse("?")
                        + ") is not java. Run on a full JDK or JRE, or set llamacpp.isolation=in-process."));
    }

    /**
     * The jars and folders holding helios4j and its dependencies, as this JVM loaded them, without
     * duplicates.
     *
     * @return the class path entries, in a stable order
     * @throws LlmException when a required one was not loaded from a file
     */
    static List<Path> classpath() {
        ClassLoader loader = EngineClasspath.class.getClassLoader();
        Set<Path> entries = new LinkedHashSet<>();
        for (int i = 0; i < ANCHORS.size(); i++) {
            Class<?> anchor;
            try {
                anchor = Class.forName(ANCHORS.get(i), false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                if (i < REQUIRED) {
                    throw new LlmException("The engine process needs " + ANCHORS.get(i) + ", which this JVM cannot "
                            + "load. Put helios4j's jars (or the 'all' jar) on the class path.", e);
                }
                continue; // inside a shaded jar under another name, or not needed
            }
            entries.add(location(anchor));
        }
        return new ArrayList<>(entries);
    }

    static Path location(Class<?> anchor) {
        CodeSource source = anchor.getProtectionDomain().getCodeSource();
        URL url = source == null ? null : source.getLocation();
        if (url == null || !"file".equals(url.getProtocol())) {
            throw new LlmException(anchor.getName() + " was loaded from " + url + ", not from a file, so the engine "
                    + "process cannot load it. Put helios4j's jars on the class path as files, or set "
                    + "llamacpp.isolation=in-process.");
        }
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new LlmException("Cannot read the location " + url + " of " + anchor.getName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The Java engine server on a model, in a JVM like this one.
     *
     * @param flags the model and its settings
     * @return the command
     */
    public static EngineCommand javaServer(EngineFlags flags) {
        List<String> jvm = new ArrayList<>();
        jvm.add("-XX:+UseSerialGC"); // the engine's heap is small; its memory is llama.cpp's
        for (String property : List.of("de.kherud.llama.lib.path", "de.kherud.llama.tmpdir")) {
            String value = System.getProperty(property);
            if (value != null) {
                jvm.add("-D" + property + "=" + value); // a CUDA or custom build the user pointed us at
            }
        }
        return EngineCommand.javaServer(javaExecutable(), classpath(), jvm, flags);
    }
}
