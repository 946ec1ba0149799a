package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The chunk parser keeps one non-blocking JSON parser per answer and feeds it chunk after chunk:
 * state must not leak from one chunk into the next, and a chunk cut short anywhere, even inside
 * a value that is skipped, fails at once instead of waiting for input that never comes.
 */
class ChunkParserTest {
    private final ChunkParser parser = new ChunkParser(new JsonFactory());

    private void parse(String chunk, Answer answer) throws IOException {
        byte[] b = ("  " + chunk + "  ").getBytes(StandardCharsets.UTF_8); // an offset and a length, as SseReader gives
        parser.parse(b, 2, b.length - 4, answer);
    }

    @Test
    void realChunksFedOneAfterAnotherGiveTheWholeText() throws IOException {
        StringBuilder joined = new StringBuilder();
        Answer answer = new Answer(joined::append);
        for (byte[] event : RealChunks.events(500, true)) {
            String data = new String(event, StandardCharsets.UTF_8).substring("data: ".length()).strip();
            if (!data.equals("[DONE]")) {
                parse(data, answer);
            }
        }
        assertEquals(RealChunks.text(500), joined.toString());
        assertEquals(RealChunks.text(500), answer.text());
        assertEquals("stop", answer.finishReason);
        assertEquals(RealChunks.promptTokens(), answer.promptTokens);
        assertEquals(500, answer.completionTokens);
        assertEquals("gpt-4o-mini", answer.model);
    }

    @Test
    void theWarmUpSamplesParseAndLeaveNothingBehind() throws IOException {
        parser.warmUp(); // throws if a sample no longer parses
        parser.warmUp();
        Answer answer = new Answer(dev.helios4j.StreamListener.NONE);
        parse("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"after\"},\"finish_reason\":null}]}", answer);
        assertEquals("after", answer.text(), "the warm-up's text does not leak into an answer");
    }

    @Test
    void chunksCutShortInsideSkippedValuesFailAtOnce() {
        List<String> cut = List.of(
                "{\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"},\"logprobs\":{\"content\":[{",
                "{\"id\":\"x\",\"system_fingerprint\":{\"nested\":[1,2,",
                "{\"choices\":[{\"delta\":{\"role\":\"assistant\",\"extra\":{\"a\":",
                "{\"usage\":{\"prompt_tokens_details\":{\"cached_tokens\":0",
                "{\"choices\":[{\"delta\":{\"content\":\"unterminated");
        for (String chunk : cut) {
            Answer answer = new Answer(piece -> { });
            JsonParseException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> assertThrows(JsonParseException.class, () -> parse(chunk, answer)), chunk);
            assertTrue(e.getMessage().contains("ends inside a JSON value"), e.getMessage());
            assertEquals(null, answer.json, "a parser that failed is not fed again");
        }
    }

    @Test
    void aChunkAfterAnotherStartsFromAFreshObject() throws IOException {
        Answer answer = new Answer(piece -> { });
        parse("{\"choices\":[{\"delta\":{\"content\":\"a\"}}]}", answer);
        parse("{\"choices\":[{\"delta\":{\"content\":\"b\"},\"finish_reason\":\"stop\"}]}", answer);
        assertEquals("ab", answer.text());
        assertEquals("stop", answer.finishReason);
    }

    @Test
    void theFirstModelNamedIsKeptAndTheFieldIsPassedOverAfterwards() throws IOException {
        Answer answer = new Answer(piece -> { });
        parse("{\"model\":\"first\",\"choices\":[{\"delta\":{\"content\":\"a\"}}]}", answer);
        parse("{\"model\":\"second\",\"choices\":[{\"delta\":{\"content\":\"b\"}}]}", answer);
        parse("{\"model\":null,\"choices\":[{\"delta\":{\"content\":\"c\"}}],\"model\":\"third\"}", answer);
        assertEquals("first", answer.model);
        assertEquals("abc", answer.text(), "a model field passed over leaves the parser on the next field");
    }

    @Test
    void twoObjectsInOneEventAreRejected() {
        Answer answer = new Answer(piece -> { });
        JsonParseException e = assertThrows(JsonParseException.class,
                () -> parse("{\"choices\":[]}{\"choices\":[]}", answer));
        assertTrue(e.getMessage().contains("unexpected content after the chunk"), e.getMessage());
    }

    @Test
    void aChunkThatIsNotAnObjectIsRejected() {
        for (String chunk : List.of("[]", "42", "\"text\"", "", "   ")) {
            Answer answer = new Answer(piece -> { });
            JsonParseException e = assertThrows(JsonParseException.class, () -> parse(chunk, answer), chunk);
            assertTrue(e.getMessage().contains("must be a JSON object"), chunk + ": " + e.getMessage());
        }
    }
}
