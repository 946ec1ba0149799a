package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helios4j.LlmClient;
import dev.helios4j.local.DemoModelConformance;
import org.junit.jupiter.api.AfterAll;

/**
 * The remote client pointed at a real EngineServer child JVM passes the provider conformance kit:
 * streaming, stop sequences, usage, interrupts (the client goes away, the engine stops) and four
 * threads at once (two slots here, so two requests queue).
 */
class EngineServerConformanceTest extends DemoModelConformance {
    private static EngineServerProcess engine;

    /** Started on the kit's first openClient (the kit's own set-up runs before a subclass's). */
    private static synchronized EngineServerProcess engine() throws Exception {
        if (engine == null) {
            // The key in llama-server's environment variable, as a parent should pass it (not on the command line).
            engine = EngineServerProcess.startHealthy(EngineServerProcess.demoModel(),
                    java.util.Map.of("LLAMA_API_KEY", EngineServerTest.KEY), "--alias", "demo", "--jinja",
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

    @org.junit.jupiter.api.Test
    void theKeyFromLlamaServersEnvironmentVariableIsRequired() throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(engine().baseUrl() + "/props"))
                .timeout(java.time.Duration.ofSeconds(60));
        assertEquals(401, http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals(200, http.send(request.header("Authorization", "Bearer " + EngineServerTest.KEY).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
    }
}
