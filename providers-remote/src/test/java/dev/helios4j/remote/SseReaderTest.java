package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Raw strings in, events out; after each test nothing fed is left unconsumed. */
class SseReaderTest {
    private final List<String> events = new ArrayList<>();
    private final SseReader reader = new SseReader((type, data, length) ->
            events.add(type + "|" + new String(data, 0, length, StandardCharsets.UTF_8)));

    private void feed(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        reader.feed(bytes, 0, bytes.length);
    }

    private void assertAllConsumed() {
        assertEquals(0, reader.bufferedBytes(), "bytes left unconsumed");
    }

    @Test
    void lineFeedEndsLinesAndBlankLineDispatches() throws IOException {
        feed("data: hello\n\ndata: world\n\n");
        assertEquals(List.of("message|hello", "message|world"), events);
        assertAllConsumed();
    }

    @Test
    void carriageReturnAloneEndsLines() throws IOException {
        feed("data: hello\r\rdata: world\r\r");
        assertEquals(List.of("message|hello", "message|world"), events);
        assertAllConsumed();
    }

    @Test
    void crLfEndsLines() throws IOException {
        feed("data: hello\r\n\r\ndata: world\r\n\r\n");
        assertEquals(List.of("message|hello", "message|world"), events);
        assertAllConsumed();
    }

    @Test
    void crLfSplitAcrossReadsIsOneLineEnd() throws IOException {
        feed("data: a\r");
        feed("\n\r");
        feed("\ndata: b\r\n\r\n");
        assertEquals(List.of("message|a", "message|b"), events);
        assertAllConsumed();
    }

    @Test
    void multiLineDataJoinsWithLineFeeds() throws IOException {
        feed("data: {\"a\":\ndata: 1}\ndata:\n\n");
        assertEquals(List.of("message|{\"a\":\n1}\n"), events);
        assertAllConsumed();
    }

    @Test
    void commentsAreIgnored() throws IOException {
        feed(": keep-alive\n\n:another\ndata: x\n: in the middle\n\n");
        assertEquals(List.of("message|x"), events);
        assertAllConsumed();
    }

    @Test
    void eventAndIdFieldsAreKept() throws IOException {
        feed("event: error\nid: 42\ndata: {\"error\":{}}\n\ndata: next\n\n");
        assertEquals(List.of("error|{\"error\":{}}", "message|next"), events, "the event type resets after dispatch");
        assertEquals("42", reader.lastEventId());
        assertAllConsumed();
    }

    @Test
    void onlyOneSpaceAfterTheColonIsDropped() throws IOException {
        feed("data:no-space\n\ndata:  two\n\n");
        assertEquals(List.of("message|no-space", "message| two"), events);
        assertAllConsumed();
    }

    @Test
    void unknownFieldsRetryAndFieldsWithoutColonAreIgnored() throws IOException {
        feed("retry: 1000\nfoo: bar\ndata\n\n");
        assertEquals(List.of("message|"), events, "'data' without a colon is an empty data line");
        assertAllConsumed();
    }

    @Test
    void blankLineWithoutDataDispatchesNothing() throws IOException {
        feed("\n\nevent: ping\n\n\r\n");
        assertEquals(List.of(), events);
        assertAllConsumed();
    }

    @Test
    void utf8CharacterSplitAcrossReadsArrivesWhole() throws IOException {
        byte[] bytes = "data: caf\u00e9 \uD83D\uDE00\n\n".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            events.clear();
            reader.feed(bytes, 0, split);
            reader.feed(bytes, split, bytes.length - split);
            assertEquals(List.of("message|caf\u00e9 \uD83D\uDE00"), events, "split at " + split);
            assertAllConsumed();
        }
    }

    @Test
    void oneByteAtATimeGivesTheSameEvents() throws IOException {
        byte[] bytes = "data: a\r\n\r\n: c\rdata: b\r\rdata: c\n\n".getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            reader.feed(new byte[] {b}, 0, 1);
        }
        assertEquals(List.of("message|a", "message|b", "message|c"), events);
        assertAllConsumed();
    }

    @Test
    void incompleteEventIsHeldUntilItsBlankLine() throws IOException {
        feed("data: {\"par");
        assertEquals(List.of(), events);
        assertEquals("data: {\"par".length(), reader.bufferedBytes());
        feed("tial\":1}\n");
        assertEquals(List.of(), events);
        feed("\n");
        assertEquals(List.of("message|{\"partial\":1}"), events);
        assertAllConsumed();
    }

    @Test
    void doneMarkerIsAnOrdinaryEvent() throws IOException {
        feed("data: [DONE]\n\n");
        assertEquals(List.of("message|[DONE]"), events);
        assertAllConsumed();
    }

    @Test
    void readOnlyAndDirectBuffersAreRead() throws IOException {
        byte[] bytes = "data: ro\n\ndata: direct\n\n".getBytes(StandardCharsets.UTF_8);
        ByteBuffer readOnly = ByteBuffer.wrap(bytes, 0, 10).asReadOnlyBuffer();
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length - 10).put(bytes, 10, bytes.length - 10).flip();
        reader.feed(readOnly);
        reader.feed(direct);
        assertEquals(List.of("message|ro", "message|direct"), events);
        assertEquals(0, readOnly.position(), "the buffer's position is left alone");
        assertAllConsumed();
    }

    @Test
    void longLinesGrowTheBuffers() throws IOException {
        String big = "x".repeat(100_000);
        feed("data: " + big.substring(0, 30_000));
        feed(big.substring(30_000) + "\ndata: " + big + "\n\n");
        assertEquals(List.of("message|" + big + "\n" + big), events);
        assertAllConsumed();
    }

    @Test
    void handlerFailurePropagatesAndTheLineIsConsumed() throws IOException {
        IOException boom = new IOException("bad chunk");
        SseReader failing = new SseReader((type, data, length) -> {
            throw boom;
        });
        byte[] bytes = "data: x\n\n".getBytes(StandardCharsets.UTF_8);
        assertSame(boom, assertThrows(IOException.class, () -> failing.feed(bytes, 0, bytes.length)));
        assertEquals(0, failing.bufferedBytes());
    }

    @Test
    void leadingByteOrderMarkIsSkippedEvenSplitAcrossReads() throws IOException {
        byte[] stream = "\uFEFFdata: first\n\ndata: second\n\n".getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= 4; split++) {
            events.clear();
            SseReader fresh = new SseReader((type, data, length) ->
                    events.add(type + "|" + new String(data, 0, length, StandardCharsets.UTF_8)));
            fresh.feed(stream, 0, split);
            fresh.feed(stream, split, stream.length - split);
            assertEquals(List.of("message|first", "message|second"), events, "split at " + split);
            assertEquals(0, fresh.bufferedBytes());
        }
    }

    @Test
    void onlyTheFirstByteOrderMarkIsSkipped() throws IOException {
        feed("data: a\n\n\uFEFFdata: b\n\n");
        assertEquals(List.of("message|a"), events, "a mark later on makes an unknown field, as WHATWG says");
        assertAllConsumed();
    }

    @Test
    void startThatOnlyLooksLikeAByteOrderMarkIsKept() throws IOException {
        byte[] bytes = {(byte) 0xEF, (byte) 0xBB, 'd', 'a', 't', 'a', ':', ' ', 'x', '\n', '\n', 'd', 'a', 't', 'a', ':',
            ' ', 'y', '\n', '\n'};
        reader.feed(bytes, 0, 1);
        reader.feed(bytes, 1, bytes.length - 1);
        assertEquals(List.of("message|y"), events, "the first line's field is not 'data'");
        assertAllConsumed();
    }

    @Test
    void lineLongerThanTheLimitFailsWhetherItArrivesWholeOrInPieces() throws IOException {
        SseReader limited = new SseReader((type, data, length) -> events.add("event"), 16, 1024);
        byte[] whole = "data: 0123456789abcdef\n\n".getBytes(StandardCharsets.UTF_8);
        SseReader.TooLarge e = assertThrows(SseReader.TooLarge.class, () -> limited.feed(whole, 0, whole.length));
        assertTrue(e.line);
        assertEquals(16, e.limit);
        SseReader pieces = new SseReader((type, data, length) -> events.add("event"), 16, 1024);
        byte[] piece = "data: 01234".getBytes(StandardCharsets.UTF_8);
        pieces.feed(piece, 0, piece.length);
        assertThrows(SseReader.TooLarge.class, () -> pieces.feed(piece, 0, piece.length));
        SseReader exact = new SseReader((type, data, length) -> events.add("event"), 16, 1024);
        byte[] fits = "data: 0123456789\n\n".getBytes(StandardCharsets.UTF_8);
        exact.feed(fits, 0, fits.length);
        assertEquals(List.of("event"), events, "a line of exactly the limit is fine");
    }

    @Test
    void eventLargerThanTheLimitFails() throws IOException {
        SseReader limited = new SseReader((type, data, length) -> events.add("event"), 1024, 30);
        byte[] lines = "data: 0123456789\ndata: 0123456789\ndata: 0123456789\n".getBytes(StandardCharsets.UTF_8);
        SseReader.TooLarge e = assertThrows(SseReader.TooLarge.class, () -> limited.feed(lines, 0, lines.length));
        assertFalse(e.line);
        assertEquals(30, e.limit);
    }
}
