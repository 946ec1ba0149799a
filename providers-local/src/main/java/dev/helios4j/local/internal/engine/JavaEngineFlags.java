package dev.helios4j.local.internal.engine;

import dev.helios4j.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The Java engine's command line, spelt as llama-server spells it, so that the parent starts
 * either with the same arguments. Unknown flags fail at start, naming the flag (never a value:
 * one of them is an API key).
 *
 * @param model {@code -m/--model}: the GGUF file
 * @param host {@code --host}: the one address to bind (default 127.0.0.1)
 * @param port {@code --port}: 0 picks a free port, printed in the ready line (default 8080)
 * @param apiKeys {@code --api-key} (comma-separated), {@code --api-key-file} (one a line, {@code #}
 *     comments) or the environment variable {@code LLAMA_API_KEY}, as llama-server reads them: every
 *     request but {@code /health} and the model list must carry one as {@code Authorization: Bearer
 *     KEY}; empty for none. A parent should pass its key in the environment or a file: a command
 *     line is visible to every user of the machine.
 * @param alias {@code -a/--alias}: the model name answers and {@code /v1/models} carry; null: the path
 * @param contextSize {@code -c/--ctx-size}: 0 for the model's own (capped to fit in memory)
 * @param threads {@code -t/--threads}: 0 or -1 for helios4j's measured default
 * @param threadsBatch {@code -tb/--threads-batch}: as threads
 * @param parallel {@code -np/--parallel}: slots serving requests at once; -1 (auto) means 1
 * @param gpuLayers {@code -ngl/--n-gpu-layers}: a number, {@code auto} (none on this CPU build) or {@code all}
 * @param chatTemplate {@code --chat-template}: overrides the model's template; null for the model's
 * @param jinja {@code --jinja} / {@code --no-jinja}
 */
record JavaEngineFlags(String model, String host, int port, List<String> apiKeys, String alias, int contextSize,
                       int threads, int threadsBatch, int parallel, int gpuLayers, String chatTemplate,
                       boolean jinja) {

    static final int DEFAULT_PORT = 8080;
    private static final int ALL_LAYERS = 999;
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("-m", "--model"), Map.entry("--model", "--model"),
            Map.entry("--host", "--host"), Map.entry("--port", "--port"), Map.entry("--api-key", "--api-key"),
            Map.entry("--api-key-file", "--api-key-file"),
            Map.entry("-a", "--alias"), Map.entry("--alias", "--alias"),
            Map.entry("-c", "--ctx-size"), Map.entry("--ctx-size", "--ctx-size"),
            Map.entry("-t", "--threads"), Map.entry("--threads", "--threads"),
            Map.entry("-tb", "--threads-batch"), Map.entry("--threads-batch", "--threads-batch"),
            Map.entry("-np", "--parallel"), Map.entry("--parallel", "--parallel"),
            Map.entry("-ngl", "--n-gpu-layers"), Map.entry("--n-gpu-layers", "--n-gpu-layers"),
            Map.entry("--gpu-layers", "--n-gpu-layers"),
            Map.entry("--chat-template", "--chat-template"));

    /** Thrown for a bad command line; its message says what to do. */
    static final class BadFlagException extends RuntimeException {
        BadFlagException(String message) {
            super(message);
        }
    }

    static JavaEngineFlags parse(List<String> args) {
        return parse(args, Map.of());
    }

    /** @param env the environment, for {@code LLAMA_API_KEY} (a flag wins over it, as in llama-server) */
    static JavaEngineFlags parse(List<String> args, Map<String, String> env) {
        String model = null;
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        List<String> keys = new java.util.ArrayList<>();
        boolean keysGiven = false;
        String alias = null;
        int context = 0;
        int threads = 0;
        int threadsBatch = 0;
        int parallel = 1;
        int gpuLayers = 0;
        String template = null;
        boolean jinja = true;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--jinja")) {
                jinja = true;
                continue;
            }
            if (arg.equals("--no-jinja")) {
                jinja = false;
                continue;
            }
            String flag = NAMES.get(arg);
            if (flag == null) {
                throw new BadFlagException("Unknown flag '" + (arg.contains("=") ? arg.substring(0, arg.indexOf('='))
                        + "=..." : arg) + "'. The Java engine takes these llama-server flags: -m/--model FILE, --host, "
                        + "--port, --api-key, --api-key-file, -a/--alias, -c/--ctx-size, -t/--threads, -tb/--threads-batch, "
                        + "-np/--parallel, -ngl/--n-gpu-layers, --chat-template, --jinja, --no-jinja "
                        + "(a flag and its value as two arguments).");
            }
            if (i + 1 >= args.size()) {
                throw new BadFlagException("The flag " + arg + " needs a value after it.");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--model" -> model = value;
                case "--host" -> host = value;
                case "--port" -> port = number(arg, value, 0, 65_535);
                case "--api-key" -> {
                    keysGiven = true;
                    keys.addAll(keyList(value.split(",")));
                }
                case "--api-key-file" -> {
                    keysGiven = true;
                    keys.addAll(keyFile(value));
                }
                case "--alias" -> alias = value.isEmpty() ? null : value.split(",", -1)[0];
                case "--ctx-size" -> context = number(arg, value, 0, Integer.MAX_VALUE);
                case "--threads" -> threads = Math.max(0, number(arg, value, -1, Integer.MAX_VALUE));
                case "--threads-batch" -> threadsBatch = Math.max(0, number(arg, value, -1, Integer.MAX_VALUE));
                case "--parallel" -> {
                    parallel = number(arg, value, -1, Integer.MAX_VALUE);
                    if (parallel == 0) {
                        throw new BadFlagException("The flag " + arg + " needs 1 or more slots (-1: automatic, one here).");
                    }
                    parallel = Math.max(1, parallel);
                }
                case "--n-gpu-layers" -> gpuLayers = switch (value) {
                    case "auto" -> 0;
                    case "all" -> ALL_LAYERS;
                    default -> Math.max(0, number(arg, value, -1, Integer.MAX_VALUE));
                };
                case "--chat-template" -> template = value.isEmpty() ? null : value;
                default -> throw new IllegalStateException(flag);
            }
        }
        if (model == null) {
            throw new BadFlagException("Name the model to serve: -m /path/to/model.gguf.");
        }
        if (!keysGiven && env.get("LLAMA_API_KEY") != null) {
            keys.addAll(keyList(env.get("LLAMA_API_KEY").split(",")));
        }
        return new JavaEngineFlags(model, host, port, List.copyOf(keys), alias, context, threads, threadsBatch, parallel,
                gpuLayers, template, jinja);
    }

    private static List<String> keyList(String[] values) {
        List<String> keys = new java.util.ArrayList<>();
        for (String v : values) {
            if (!v.strip().isEmpty()) {
                keys.add(v.strip());
            }
        }
        return keys;
    }

    private static List<String> keyFile(String file) {
        try {
            return keyList(java.nio.file.Files.readAllLines(Path.of(file)).stream()
                    .filter(line -> !line.stripLeading().startsWith("#")).toArray(String[]::new));
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            throw new BadFlagException("Cannot read the --api-key-file " + file + ": " + e.getMessage() + ".");
        }
    }

    private static int number(String flag, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadFlagException("The flag " + flag + " needs a whole number from " + min + " to " + max
                + ", got '" + value + "'.");
    }

    /** The name answers carry: the alias, or the path as given, as llama-server does. */
    String modelName() {
        return alias != null ? alias : model;
    }

    /** The same choices as the provider's settings, so the in-process path loads the model alike. */
    Settings settings() {
        Settings s = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-helios4j-engine-home"))
                .with("llamacpp.context-size", Integer.toString(contextSize))
                .with("llamacpp.threads", Integer.toString(threads))
                .with("llamacpp.threads-batch", Integer.toString(threadsBatch))
                .with("llamacpp.parallel", Integer.toString(parallel))
                .with("llamacpp.gpu-layers", Integer.toString(gpuLayers))
                .with("llamacpp.jinja", Boolean.toString(jinja));
        return chatTemplate == null ? s : s.with("llamacpp.chat-template", chatTemplate);
    }

    @Override
    public String toString() {
        return "JavaEngineFlags[model=" + model + ", host=" + host + ", port=" + port + ", apiKeys="
                + (apiKeys.isEmpty() ? "none" : apiKeys.size() + " x " + dev.helios4j.Secret.MASK) + ", alias=" + alias + ", ctx=" + contextSize
                + ", threads=" + threads + "/" + threadsBatch + ", parallel=" + parallel + "]";
    }
}
