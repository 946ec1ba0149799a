package dev.helios4j.local;

import dev.helios4j.ChatRequest;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.testkit.ProviderConformanceKit;

/**
 * The conformance kit's prompts for the demo model behind a raw template (the last message passed
 * through as the prompt), shared by every way the local provider runs it: in this JVM, in the Java
 * engine process, in a real llama-server. Subclasses say only how to open the client.
 */
public abstract class DemoModelConformance extends ProviderConformanceKit {
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
