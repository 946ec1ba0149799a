package dev.helios4j.remote;

import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import dev.helios4j.testkit.ProviderConformanceKit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The provider passes core's conformance kit against a deterministic server on loopback. */
class OpenAiConformanceTest extends ProviderConformanceKit {
    private LoopbackServer server;

    @Override
    protected LlmClient openClient() {
        try {
            if (server == null) {
                server = new LoopbackServer(new FakeModel(2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Settings settings = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"))
                .with("openai.base-url", server.baseUrl()).with("openai.timeout.idle", "5s");
        return Llm.open("openai:" + FakeModel.MODEL, settings);
    }

    @Override
    protected dev.helios4j.ChatRequest.Builder typedPrompt() {
        return dev.helios4j.ChatRequest.builder().user("Who was Ada Lovelace?").temperature(0.0);
    }

    @AfterAll
    void stopServer() throws IOException {
        server.close();
    }
}
