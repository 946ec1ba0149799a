package dev.helios4j.local;

import dev.helios4j.LlmException;
import dev.helios4j.local.gguf.GgufHeader;
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
        return "llama.cpp in this JVM: llamacpp:demo, llamacpp:/path/model.gguf, llamacpp:hf:ORG/REPO/FILE.gguf";
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
        GgufHeader header = ModelSource.resolve(context.model(), options);
        Path file = header.file();
        String name = context.model().equals(ModelSource.DEMO) ? ModelSource.DEMO
                : header.name().orElse(file.getFileName().toString());
        LoadedModel model = SharedModels.acquire(file, name, header, options);
        return new LlamaEngine(model, LlamaCppProvider::catalogue);
    }
}
