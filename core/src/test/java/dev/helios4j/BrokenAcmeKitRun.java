package dev.helios4j;

import dev.helios4j.testkit.ProviderConformanceKit;

/**
 * The kit aimed at one deliberately broken Acme model. Not a test by itself (surefire skips the
 * name); {@link ConformanceKitCatchesBrokenProvidersTest} launches it once per broken model.
 */
class BrokenAcmeKitRun extends ProviderConformanceKit {
    static volatile String model = "x";

    @Override
    protected LlmClient openClient() {
        return AcmeConformanceTest.openAcme(model);
    }

    @Override
    protected ChatRequest.Builder typedPrompt() {
        return ChatRequest.builder().user("Who was Ada Lovelace?").temperature(0.0);
    }
}
