package dev.helios4j.local.engine;

import dev.helios4j.ChatRequest;
import dev.helios4j.LlmClient;
import dev.helios4j.local.gguf.DemoModels;
import dev.helios4j.testkit.ProviderConformanceKit;
import org.junit.jupiter.api.AfterAll;

/**
 * The remote client pointed at a real EngineServer child JVM passes the provider conformance kit:
 * streaming, stop sequences, usage, interrupts (the client goes away, the engine stops) and four
 * threads at once (two slots here, so two requests queue).
 */
class EngineServerConformanceTest extends ProviderConformanceKit {
    private static EngineServerProcess engine;

    /** Started on the kit's first openClient (the kit's own set-up runs before a subclass's). */
    private static synchronized EngineServerProcess engine() throws Exception {
        if (engine == null) {
            engine = EngineServerProcess.startDemo("--api-key", EngineServerTest.KEY, "--alias", "demo", "--jinja",
                "--chat-template", EngineServerTest.RAW_TEMPLATE, "-np", "2");
        }
        return engine;
    }

    @AfterAll
    static void stopEngine() throws Exception {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    @Override
    protected LlmClient openClient() {
        try {
            return EngineServerTest.clientOf(engine(), EngineServerTest.KEY);
        } catch (Exception e) {
            throw new IllegalStateException("The engine process did not start", e);
        }
    }

    @Override
    protected ChatRequest.Builder shortPrompt() {
        return ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0.0);
    }

    @Override
    protected ChatRequest.Builder longPrompt() {
        return ChatRequest.builder().user(DemoModels.LOOP_PROMPT).temperature(0.0);
    }
}
