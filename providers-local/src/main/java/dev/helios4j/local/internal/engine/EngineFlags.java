package dev.helios4j.local.internal.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The model and its settings, as llama-server's command-line flags. Both engines take them: a real
 * llama-server, and helios4j's own Java engine server, which accepts the same flags.
 *
 * @param model the GGUF file
 * @param contextSize {@code -c}: tokens of context, shared by the slots
 * @param threads {@code -t}: threads generating
 * @param threadsBatch {@code -tb}: threads processing prompts
 * @param parallel {@code -np}: slots serving requests at once
 * @param gpuLayers {@code -ngl}: layers to offload; 0 leaves the flag out
 * @param chatTemplate {@code --chat-template}: overrides the model's template; null for the model's own
 * @param jinja {@code --jinja} (or {@code --no-jinja}): render templates with the Jinja engine
 * @param alias {@code --alias}: the model's name in answers and {@code /v1/models}
 */
public record EngineFlags(Path model, int contextSize, int threads, int threadsBatch, int parallel, int gpuLayers,
                          String chatTemplate, boolean jinja, String alias) {

    /** Checks the components. */
    public EngineFlags {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(alias, "alias");
    }

    /** The flags, without host, port and key (the engine process adds those at each start). */
    List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("-m", model.toString(), "-c", Integer.toString(contextSize),
                "-t", Integer.toString(threads), "-tb", Integer.toString(threadsBatch),
                "-np", Integer.toString(parallel)));
        if (gpuLayers > 0) {
            args.add("-ngl");
            args.add(Integer.toString(gpuLayers));
        }
        // Before --chat-template: llama-server accepts any template only once Jinja is on.
        args.add(jinja ? "--jinja" : "--no-jinja");
        if (chatTemplate != null) {
            args.add("--chat-template");
            args.add(chatTemplate);
        }
        args.add("--alias");
        args.add(alias);
        return args;
    }
}
