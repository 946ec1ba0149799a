package dev.helios4j.local;

import dev.helios4j.ChatRequest;
import dev.helios4j.LlmClient;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.testkit.ProviderConformanceKit;

/** The llamacpp provider, on real llama.cpp and the generated demo model, passes the kit. */
class LlamaCppConformanceTest extends ProviderConformanceKit {
    @Override
    protected LlmClient openClient() {
        return TestModels.demoRaw();
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
