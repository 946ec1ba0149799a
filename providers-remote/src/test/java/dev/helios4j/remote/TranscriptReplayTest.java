package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.LlmClient;
import dev.helios4j.ServerException;
import dev.helios4j.StreamListener;
import dev.helios4j.ToolCall;
import dev.helios4j.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Streams in the exact formats real servers send, replayed from files, give the right response. */
class TranscriptReplayTest {

    /** Records what the listener saw. */
    private static final class Seen implements StreamListener {
        final List<String> pieces = new ArrayList<>();
        final List<ToolCall> calls = new ArrayList<>();

        @Override
        public void onToken(String piece) {
            pieces.add(piece);
        }

        @Override
        public void onToolCall(ToolCall call) {
            calls.add(call);
        }
    }

    private static ChatResponse replay(String transcript, int step, Seen seen) throws Exception {
        try (LoopbackServer server = new LoopbackServer(Transcripts.replay(transcript, step));
             LlmClient client = Transcripts.client(server)) {
            ChatResponse r = client.stream(ChatRequest.builder().user("Hi").stop("END").build(), seen);
            assertEquals(r.text(), String.join("", seen.pieces), "joined pieces equal the final text");
            return r;
        }
    }

    @ParameterizedTest(name = "writes of {0} bytes")
    @ValueSource(ints = {1, 7, 64, 100_000})
    void openAiContentWithUsageChunk(int step) throws Exception {
        Seen seen = new Seen();
        ChatResponse r = replay("openai-content.sse", step, seen);
        assertEquals("The caf\u00e9 opens at 8\u202fam \u2014 \u2615 \uD83D\uDE00.", r.text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals(Usage.of(19, 10), r.usage());
        assertEquals("gpt-4o-mini-2024-07-18", r.model());
    }

    @Test
    void openAiToolCallsAreAssembledByIndex() throws Exception {
        Seen seen = new Seen();
        ChatResponse r = replay("openai-tool-calls.sse", 13, seen);
        List<ToolCall> expected = List.of(
                new ToolCall("call_DdmO9pD3xa9XTPNJ32zg2hcA", "get_weather", "{\"location\": \"Paris\"}"),
                new ToolCall("call_Q3bA7wVt0N2fY8kLmJxZ4pRe", "get_weather", "{\"location\": \"Z\u00fcrich\"}"));
        assertEquals(expected, r.toolCalls());
        assertEquals(expected, seen.calls, "each complete call reaches the listener once");
        assertEquals(FinishReason.TOOL_CALLS, r.finishReason());
        assertEquals("", r.text());
        assertEquals(Usage.of(81, 46), r.usage());
    }

    @Test
    void openAiRefusalIsTheTextAndFinishesAsContentFilter() throws Exception {
        Seen seen = new Seen();
        ChatResponse r = replay("openai-refusal.sse", 9, seen);
        assertEquals("I'm sorry, I can't help with that.", r.text());
        assertEquals(FinishReason.CONTENT_FILTER, r.finishReason());
        assertEquals(Usage.UNKNOWN, r.usage(), "no usage chunk: unknown, never zeros");
    }

    @Test
    void llamaCppUsageAndTimingsAreRead() throws Exception {
        Seen seen = new Seen();
        ChatResponse r = replay("llamacpp.sse", 5, seen);
        assertEquals("Bonjour \u00e0 tous!", r.text());
        assertEquals(Usage.of(24, 5), r.usage());
        assertEquals(120.117, r.timings().tokensPerSecond(), 0.001, "llama.cpp's own generation speed is kept");
        assertEquals(FinishReason.STOP, r.finishReason());
    }

    @Test
    void ollamaWithoutUsageReportsUsageUnknown() throws Exception {
        Seen seen = new Seen();
        ChatResponse r = replay("ollama.sse", 11, seen);
        assertEquals("The sky is blue.", r.text());
        assertEquals(List.of("The", " sky", " is", " blue."), seen.pieces, "empty deltas are not passed on");
        assertEquals(Usage.UNKNOWN, r.usage());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals("llama3.2:3b", r.model());
    }

    @Test
    void vllmStopReasonGivesStopSequenceAndUsageFromTheLastChunk() throws Exception {
        Seen seen = new Seen();
        ChatResponse r = replay("vllm.sse", 3, seen);
        assertEquals("Rot, Gr\u00fcn, Blau", r.text());
        assertEquals(FinishReason.STOP_SEQUENCE, r.finishReason());
        assertEquals(Usage.of(31, 7), r.usage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"midstream-error.sse", "event-error.sse"})
    void errorInsideTheStreamFailsWithThePartialText(String transcript) throws Exception {
        Seen seen = new Seen();
        ServerException e = assertThrows(ServerException.class, () -> replay(transcript, 17, seen));
        assertEquals(String.join("", seen.pieces), e.partialText());
        assertTrue(e.partialText().startsWith(transcript.startsWith("mid") ? "Partial answer" : "Half"), e.partialText());
        assertTrue(e.getMessage().contains(transcript.startsWith("mid") ? "CUDA out of memory" : "upstream overloaded"),
                e.getMessage());
        assertEquals(transcript.startsWith("mid") ? 500 : 503, e.statusCode());
    }

    @Test
    void errorEventBeforeAnyTextIsMappedByItsCode() throws Exception {
        LoopbackServer.Handler handler = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream");
            exchange.send("data: {\"error\":{\"message\":\"prompt too long\",\"type\":\"BadRequestError\",\"code\":400}}\n\n");
        };
        try (LoopbackServer server = new LoopbackServer(handler); LlmClient client = Transcripts.client(server)) {
            Exception e = assertThrows(Exception.class, () -> client.chat("Hi"));
            assertInstanceOf(dev.helios4j.InvalidRequestException.class, e);
            assertTrue(e.getMessage().contains("prompt too long"), e.getMessage());
        }
    }

    @Test
    void wholeJsonAnswerFromAServerThatIgnoresStreamIsRead() throws Exception {
        LoopbackServer.Handler handler = (request, exchange) -> exchange.respond(200, "application/json",
                "{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":"
                        + "{\"role\":\"assistant\",\"content\":\"Whole\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
        try (LoopbackServer server = new LoopbackServer(handler); LlmClient client = Transcripts.client(server)) {
            Seen seen = new Seen();
            ChatResponse r = client.stream(ChatRequest.of("Hi"), seen);
            assertEquals("Whole", r.text());
            assertEquals(List.of("Whole"), seen.pieces);
            assertEquals(List.of(new ToolCall("c1", "f", "{}")), r.toolCalls());
            assertEquals(Usage.of(3, 2), r.usage());
        }
    }

    @Test
    void streamStartingWithAByteOrderMarkKeepsItsFirstEvent() throws Exception {
        LoopbackServer.Handler bom = (request, exchange) -> {
            exchange.startStream(200, "text/event-stream; charset=utf-8");
            exchange.send("\uFEFF" + FaultsTest.content("First") + FaultsTest.content(" second") + FaultsTest.FINISH);
        };
        try (LoopbackServer server = new LoopbackServer(bom); LlmClient client = Transcripts.client(server)) {
            assertEquals("First second", client.chat("Hi"));
        }
    }
}
