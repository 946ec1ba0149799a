package dev.helios4j.local;

import dev.helios4j.LlmException;
import dev.helios4j.local.internal.ContextSize;
import dev.helios4j.local.internal.LlamaEngine;
import dev.helios4j.local.internal.LoadedModel;
import dev.helios4j.local.internal.LocalOptions;
import dev.helios4j.local.internal.ModelSource;
import dev.helios4j.local.internal.Pooling;
import dev.helios4j.local.internal.SharedModels;
import dev.helios4j.local.internal.engine.EngineClasspath;
import dev.helios4j.local.internal.engine.EngineCommand;
import dev.helios4j.local.internal.engine.EngineFlags;
import dev.helios4j.local.internal.engine.EngineOptions;
import dev.helios4j.local.internal.engine.EngineRegistry;
import dev.helios4j.local.internal.gguf.GgufHeader;
import dev.helios4j.local.hf.HfCachedFile;
import dev.helios4j.local.hf.HfModels;
import dev.helios4j.spi.ChatEngine;
import dev.helios4j.spi.LlmProvider;
import dev.helios4j.spi.ProviderContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code llamacpp} provider: GGUF models run in this JVM through llama.cpp.
 *
 * <ul>
 *   <li>{@code llamacpp:demo} (alias {@code demo}): the built-in tiny model, generated offline;</li>
 *   <li>{@code llamacpp:/path/to/model.gguf}: a local file;</li>
 *   <li>{@code llamacpp:hf:ORG/REPO/FILE.gguf[@REVISION]}: from the Hugging Face cache, downloaded
 *       when missing.</li>
 * </ul>
 *
 * <p>The file's header is checked in Java before llama.cpp sees it, so a corrupt file is an
 * {@link dev.helios4j.InvalidModelException}, never a crash. Settings: see {@code LocalOptions}.
 *
 * <p>With {@code llamacpp.server=PATH|auto} the model runs in that llama-server binary, and with
 * {@code llamacpp.isolation=process} in helios4j's Java engine server: a supervised child process
 * per model and settings, whose crash is an exception, not the end of this JVM. See
 * {@link EngineOptions}.
 */
public final class LlamaCppProvider implements LlmProvider {

    /** Creates the provider; cheap, as {@link java.util.ServiceLoader} requires. */
    public LlamaCppProvider() {
    }

    @Override
    public String name() {
        return "llamacpp";
    }

    @Override
    public String description() {
        return "llama.cpp in this JVM, or in a supervised llama-server (llamacpp.server): llamacpp:demo, "
                + "llamacpp:/path/model.gguf, llamacpp:hf:ORG/REPO/FILE.gguf";
    }

    /** Chats, and embeddings with llama.cpp's embedding mode (in every isolation). */
    @Override
    public java.util.Set<dev.helios4j.Capability> capabilities() {
        return java.util.Set.of(dev.helios4j.Capability.CHAT, dev.helios4j.Capability.EMBEDDINGS);
    }

    /** The demo model and every GGUF file in the Hugging Face cache, as specs. */
    static List<String> catalogue() {
        List<String> specs = new ArrayList<>();
        specs.add("llamacpp:" + ModelSource.DEMO);
        try {
            for (HfCachedFile f : HfModels.defaults().list()) {
                specs.add("llamacpp:" + f.ref().toSpec());
            }
        } catch (LlmException e) {
            System.getLogger(LlamaCppProvider.class.getName()).log(System.Logger.Level.DEBUG, "Cannot list the cache", e);
        }
        return specs;
    }

    @Override
    public ChatEngine open(ProviderContext context) {
        LocalOptions options = LocalOptions.from(context.settings());
        EngineOptions engine = EngineOptions.from(context.settings());
        // A user's own llama-server may know what the bundled llama.cpp does not: check only for the latter.
        GgufHeader header = ModelSource.resolve(context.model(), context.settings(), options, engine.server().isEmpty());
        Path file = header.file();
        String name = context.model().equals(ModelSource.DEMO) ? ModelSource.DEMO
                : header.name().orElse(file.getFileName().toString());
        if (engine.outOfProcess()) {
            EngineCommand command = engineCommand(engine, flags(file, name, header, options));
            // A llama-server embeds in a second one started with --embeddings; the Java engine embeds itself.
            java.util.function.Supplier<EngineCommand> embedding = engine.server().isEmpty() ? null
                    : () -> command.with(List.of("--embeddings", "--pooling", Pooling.of(header, false).name()));
            return EngineRegistry.open(command, file, name, engine, LlamaCppProvider::catalogue, embedding);
        }
        LoadedModel model = SharedModels.acquire(file, name, header, options);
        return new LlamaEngine(model, LlamaCppProvider::catalogue,
                () -> SharedModels.acquireForEmbeddings(file, name, header, options));
    }

    /** The model and its settings as the engine's flags, with the same context and threads as in-process. */
    static EngineFlags flags(Path file, String name, GgufHeader header, LocalOptions options) {
        return new EngineFlags(file.toAbsolutePath(), ContextSize.of(header, options), options.generationThreads(),
                options.batchThreads(), options.parallel(), options.gpuLayers(), options.chatTemplate(), options.jinja(),
                name);
    }

    /** The configured llama-server, else helios4j's Java engine server in a JVM like this one. */
    static EngineCommand engineCommand(EngineOptions engine, EngineFlags flags) {
        return engine.server().map(binary -> EngineCommand.llamaServer(binary, flags, engine.serverArgs()))
                .orElseGet(() -> EngineClasspath.javaServer(flags));
    }
}
