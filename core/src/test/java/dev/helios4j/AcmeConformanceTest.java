package dev.helios4j;

import dev.helios4j.testkit.ProviderConformanceKit;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** The third-party provider, loaded from the jar the tests build, passes the kit. */
class AcmeConformanceTest extends ProviderConformanceKit {
    static final Settings NO_CONFIG = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"));

    @Override
    protected LlmClient openClient() {
        return openAcme("x");
    }

    @Override
    protected ChatRequest.Builder typedPrompt() {
        return ChatRequest.builder().user("Who was Ada Lovelace?").temperature(0.0);
    }

    static LlmClient openAcme(String model) {
        return openAcme(model, "acme");
    }

    static LlmClient openAcme(String model, String provider) {
        try {
            Plugins.GrowingLoader loader = provider.equals("acme") ? new Plugins.GrowingLoader(Plugins.acme())
                    : new Plugins.GrowingLoader(Plugins.acme(), Plugins.acmeChat());
            return Plugins.withContextLoader(loader, () -> Llm.open(provider + ":" + model, NO_CONFIG));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
