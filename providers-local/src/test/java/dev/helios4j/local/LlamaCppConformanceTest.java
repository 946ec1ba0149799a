package dev.helios4j.local;

import dev.helios4j.LlmClient;

/** The llamacpp provider, on real llama.cpp and the generated demo model, passes the kit. */
class LlamaCppConformanceTest extends DemoModelConformance {
    @Override
    protected LlmClient openClient() {
        return TestModels.demoRaw();
    }
}
