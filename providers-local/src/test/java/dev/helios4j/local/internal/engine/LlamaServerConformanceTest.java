package dev.helios4j.local.internal.engine;

import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.local.DemoModelConformance;

/** The llamacpp provider with {@code llamacpp.server} (a real llama-server) passes the same kit as in-process. */
class LlamaServerConformanceTest extends DemoModelConformance {
    @Override
    protected LlmClient openClient() {
        return Llm.open("llamacpp:demo", EngineTests.raw(LlamaServerBinary.require()));
    }
}
