package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.LlmClient;
import dev.helios4j.Usage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Large answers and floods of tiny chunks arrive whole, in order, and quickly. */
class VolumeTest {

    /** A stream of {@code count} OpenAI-format chunks with {@code piece} each, written in 16 KB writes. */
    static LoopbackServer.Handler stream(int count, String piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String chunk = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1741570283,"
                + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + piece
                + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            out.write(bytes, 0, bytes.length);
        }
        out.writeBytes(("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":" + count
                + ",\"total_tokens\":" + (count + 1) + "}}\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
        byte[] body = out.toByteArray();
        return (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            for (int at = 0; at < body.length; at += 16_384) {
                exchange.send(body, at, Math.min(16_384, body.length - at));
            }
        };
    }

    @Test
    void hundredThousandTinyChunksArriveInOrder() throws Exception {
        try (LoopbackServer server = new LoopbackServer(stream(100_000, "x"));
             LlmClient client = Transcripts.client(server)) {
            AtomicInteger pieces = new AtomicInteger();
            long start = System.nanoTime();
            ChatResponse r = client.stream(ChatRequest.of("Hi"), piece -> pieces.incrementAndGet());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(100_000, pieces.get());
            assertEquals("x".repeat(100_000), r.text());
            assertEquals(Usage.of(1, 100_000), r.usage());
            assertTrue(millis < 10_000, "100,000 chunks took " + millis + " ms");
        }
    }

    @Test
    void twentyMegabyteAnswerArrivesWhole() throws Exception {
        String piece = "0123456789abcdef".repeat(64) + "\u00e9"; // 1 KB and a two-byte character per chunk
        int count = 20 * 1024;
        try (LoopbackServer server = new LoopbackServer(stream(count, piece));
             LlmClient client = Transcripts.client(server)) {
            AtomicLong chars = new AtomicLong();
            ChatResponse r = client.stream(ChatRequest.of("Hi"), p -> chars.addAndGet(p.length()));
            assertEquals((long) count * piece.length(), r.text().length());
            assertEquals(r.text().length(), chars.get());
            assertTrue(r.text().startsWith(piece + piece) && r.text().endsWith(piece));
        }
    }

    /** The benchmark's stream ({@link RealChunks}: OpenAI's fields, multi-byte text) in writes that split characters. */
    @Test
    void openAisRealChunkFormatArrivesWhole() throws Exception {
        int count = 5_000;
        byte[] body = RealChunks.body(count, true);
        LoopbackServer.Handler real = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream; charset=utf-8");
            for (int at = 0; at < body.length; at += 997) {
                exchange.send(body, at, Math.min(997, body.length - at));
            }
        };
        try (LoopbackServer server = new LoopbackServer(real);
             LlmClient client = Transcripts.client(server)) {
            StringBuilder joined = new StringBuilder();
            ChatResponse r = client.stream(ChatRequest.of("Hi"), joined::append);
            assertEquals(RealChunks.text(count), r.text());
            assertEquals(r.text(), joined.toString());
            assertEquals(Usage.of(RealChunks.promptTokens(), count), r.usage());
            assertEquals("gpt-4o-mini", r.model());
        }
    }
}
