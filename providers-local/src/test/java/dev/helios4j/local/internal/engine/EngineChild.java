package dev.helios4j.local.internal.engine;

import dev.helios4j.ChatRequest;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import java.nio.file.Path;
import java.util.Map;

/**
 * The main class of the child JVMs that {@link EngineLifetimeTest} starts: it uses an engine the
 * way a user's program would, and reports the engine's pid on stdout.
 *
 * <ul>
 *   <li>{@code hold SERVER CACHE}: opens the demo model through llama-server, prints
 *       {@code engine PID}, then waits forever (the test kills this JVM with SIGKILL);</li>
 *   <li>{@code exit SERVER CACHE}: opens, answers, closes, prints {@code engine PID} and
 *       {@code answer TEXT}, and returns from main without System.exit (the engine stays warm
 *       under a 5-minute keep-alive, so only daemon threads and the pipe may end it).</li>
 * </ul>
 */
public final class EngineChild {
    private EngineChild() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"))
                .with("cache-dir", args[2]).with("llamacpp.server", args[1]).with("llamacpp.keep-alive", "5m")
                .with("llamacpp.chat-template", EngineTests.RAW_TEMPLATE);
        LlmClient client = Llm.open("llamacpp:demo", settings);
        long pid = EngineTests.enginePid(settings);
        System.out.println("engine " + pid);
        System.out.flush();
        if (args[0].equals("hold")) {
            Thread.sleep(Long.MAX_VALUE); // the test ends this JVM with SIGKILL
        }
        String answer = client.chat(ChatRequest.builder().user("Hello").temperature(0).build()).text();
        client.close();
        System.out.println("answer " + answer);
        System.out.flush();
    }
}
