package dev.helios4j.local.internal.engine;

import dev.helios4j.ChatRequest;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.testkit.ProviderConformanceKit;

/** The llamacpp provider with {@code llamacpp.server} (a real llama-server) passes the same kit as in-process. */
class LlamaServerConformanceTest extends ProviderConformanceKit {
    @Override
    protected LlmClient openClient() {
        return Llm.open("llamacpp:demo", EngineTests.raw(LlamaServerBinary.require()));
    }

    @Override
    protected ChatRequest.Builder shortPrompt() {
        return ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0.0);
    }

    @Override
    protected ChatRequest.Builder longPrompt() {
        return ChatRequest.builder().user(DemoModels.LOOP_PROMPT).temperature(0.0);
    }

    /** The raw template passes this through, so the prompt ends in a newline as a chat turn does. */
    @Override
    protected ChatRequest.Builder typedPrompt() {
        return ChatRequest.builder().user("Who was Ada Lovelace?\n").temperature(0.0);
    }
}
