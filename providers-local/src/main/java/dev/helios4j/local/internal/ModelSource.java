package dev.helios4j.local.internal;

import dev.helios4j.InvalidModelException;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmException;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.local.internal.gguf.BundledLlamaCpp;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.local.internal.gguf.GgufHeader;
import dev.helios4j.Settings;
import dev.helios4j.local.hf.HfModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns the model part of a {@code llamacpp:} spec into a GGUF file whose header was checked,
 * reading that header once, and refuses before any native call what the engine cannot load.
 */
public final class ModelSource {
    public static final String DEMO = "demo";
    /** Bump when the generated demo model changes, so caches pick up the new one. */
    static final String DEMO_FILE = DemoModels.MODEL_NAME + "-v2.gguf"; // v2: the typed answer

    private ModelSource() {
    }

    /**
     * Resolves the model and checks its header and the settings that depend on it.
     *
     * @param settings where an {@code hf:} model's Hub settings ({@code hf.*}) come from
     * @param bundledLlamaCpp true when the bundled llama.cpp (b4916) will load the file, in this JVM
     *     or in an engine process: then what that build does not know or crashes on is refused here
     *     ({@link BundledLlamaCpp}). False for a user's own llama-server, which may be newer.
     * @throws InvalidRequestException for a bad spec or a setting the model or engine cannot take
     * @throws InvalidModelException for a file that cannot be loaded, naming the file and the key
     */
    public static GgufHeader resolve(String model, Settings settings, LocalOptions options, boolean bundledLlamaCpp) {
        if (bundledLlamaCpp && options.chatTemplate() != null) {
            BundledLlamaCpp.checkChatTemplateSetting("llamacpp.chat-template", options.chatTemplate(), options.jinja());
        }
        GgufHeader header = locate(model, settings, options);
        options.checkContextSize(header);
        if (bundledLlamaCpp) {
            BundledLlamaCpp.check(header, options.chatTemplate() == null);
        }
        return header;
    }

    private static GgufHeader locate(String model, Settings settings, LocalOptions options) {
        if (model.isEmpty()) {
            throw new InvalidRequestException("Name a model after 'llamacpp:': llamacpp:demo, "
                    + "llamacpp:/path/to/model.gguf or llamacpp:hf:ORG/REPO/FILE.gguf[@REVISION].");
        }
        if (model.equals(DEMO)) {
            return demo(options.cacheDir());
        }
        if (model.startsWith("hf:")) {
            return GgufHeader.read(HfModels.from(settings).resolve(model));
        }
        Path file;
        try {
            file = Path.of(model.startsWith("~/") ? System.getProperty("user.home") + model.substring(1) : model);
        } catch (InvalidPathException e) {
            throw new InvalidRequestException("'" + model + "' is not a valid file path: " + e.getMessage());
        }
        if (Files.isDirectory(file)) {
            throw new InvalidRequestException(file + " is a directory; name the .gguf file inside it.");
        }
        if (!Files.isRegularFile(file)) {
            throw new ModelNotFoundException("No model file at " + file.toAbsolutePath() + ". Check the path, or use "
                    + "llamacpp:hf:ORG/REPO/FILE.gguf to take one from the Hugging Face cache.");
        }
        return GgufHeader.read(file);
    }

    /**
     * The built-in model, written on first use into helios4j's cache and never downloaded. A file
     * there that is not a valid model (an interrupted write by an old version, say) is rewritten.
     */
    public static synchronized GgufHeader demo(Path cacheDir) {
        Path file = cacheDir.resolve("models").resolve(DEMO_FILE);
        try {
            if (Files.isRegularFile(file)) {
                try {
                    return GgufHeader.read(file);
                } catch (InvalidModelException e) {
                    Files.delete(file);
                }
            }
            Files.createDirectories(file.getParent());
            return GgufHeader.read(DemoModels.writeDemo(file));
        } catch (IOException e) {
            throw new LlmException("Cannot write the demo model to " + file + ": " + e.getMessage()
                    + ". Make the folder writable or set the setting cache-dir (HELIOS4J_CACHE_DIR) to another one.", e);
        }
    }
}
