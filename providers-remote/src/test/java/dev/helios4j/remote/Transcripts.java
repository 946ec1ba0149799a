package dev.helios4j.remote;

import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/** Loads recorded streams and replays them from a {@link LoopbackServer}, in small uneven writes. */
final class Transcripts {
    static final Settings NO_CONFIG = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"));

    private Transcripts() {
    }

    static byte[] load(String name) {
        try (InputStream in = Transcripts.class.getResourceAsStream("/transcripts/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no transcript " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Streams the transcript in writes of {@code step} bytes, splitting lines and UTF-8 characters. */
    static LoopbackServer.Handler replay(String name, int step) {
        byte[] bytes = load(name);
        return (request, exchange) -> {
            exchange.startStream(200, "text/event-stream; charset=utf-8");
            for (int at = 0; at < bytes.length; at += step) {
                exchange.send(bytes, at, Math.min(step, bytes.length - at));
            }
        };
    }

    /** A client on the server with short limits, as tests want. */
    static LlmClient client(LoopbackServer server, String... settings) {
        Settings s = NO_CONFIG.with("openai.base-url", server.baseUrl()).with("openai.timeout.idle", "5s")
                .with("openai.retry.initial-backoff", "10ms");
        for (int i = 0; i < settings.length; i += 2) {
            s = s.with(settings[i], settings[i + 1]);
        }
        return Llm.open("openai:test-model", s);
    }
}
