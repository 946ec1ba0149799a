package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a batch reads: CSV, JSON Lines, lists; the prompt template; the journal's JSON. */
class BatchInputTest {
    @TempDir
    Path dir;

    private static List<BatchRow> all(BatchInput in) {
        List<BatchRow> rows = new ArrayList<>();
        for (BatchRow r; (r = in.next()) != null; ) {
            rows.add(r);
        }
        in.close();
        return rows;
    }

    @Test
    void csvRowsWithQuotesCommasAndLineBreaksInsideFields() throws Exception {
        Path csv = dir.resolve("t.csv");
        Files.writeString(csv, "\uFEFFid,text\r\n7,\"Hello, \"\"world\"\"\"\r\n\r\n9,\"two\nlines\"\n10,plain");
        BatchInput in = BatchInput.csv(csv, "id");
        assertEquals(3, in.total());
        List<BatchRow> rows = all(in);
        assertEquals(3, rows.size());
        assertEquals(Map.of("id", "7", "text", "Hello, \"world\""), rows.get(0).fields());
        assertEquals("7", rows.get(0).key());
        assertEquals("two\nlines", rows.get(1).get("text"));
        assertEquals("10", rows.get(2).key());
        assertEquals(2, rows.get(2).index());
    }

    @Test
    void aCsvRowWithTheWrongNumberOfFieldsSaysWhere() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "a,b\n1,2\n3\n");
        BatchInput in = BatchInput.csv(csv, null);
        in.next();
        LlmException e = assertThrows(LlmException.class, in::next);
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("1 fields"), e.getMessage());
        in.close();
    }

    @Test
    void jsonLinesRowsKeepNestedValuesAsJson() throws Exception {
        Path jsonl = dir.resolve("t.jsonl");
        Files.writeString(jsonl, "{\"id\":\"a\",\"n\":3,\"tags\":[\"x\",\"y\"]}\n\n{\"id\":\"b\",\"text\":\"caf\\u00e9\"}\n");
        BatchInput in = BatchInput.jsonLines(jsonl, "id");
        assertEquals(2, in.total());
        List<BatchRow> rows = all(in);
        assertEquals("3", rows.get(0).get("n"));
        assertEquals("[\"x\",\"y\"]", rows.get(0).get("tags"));
        assertEquals("café", rows.get(1).get("text"));
        assertEquals("b", rows.get(1).key());
    }

    @Test
    void aRowWithoutItsKeyFieldIsRefused() {
        BatchInput in = BatchInput.of(List.of(Map.of("id", "1"), Map.of("other", "2")).iterator(), 2, "id", null);
        in.next();
        InvalidRequestException e = assertThrows(InvalidRequestException.class, in::next);
        assertTrue(e.getMessage().contains("key field 'id'"), e.getMessage());
    }

    @Test
    void templateFillsFieldsAndKeepsDoubledBraces() {
        BatchRow row = new BatchRow(0, "0", Map.of("text", "sky", "lang", "fr"));
        assertEquals("Say {sky} in fr", new PromptTemplate("Say {{{text}}} in {lang}").fill(row));
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> new PromptTemplate("Classify {body}").fill(row));
        assertTrue(e.getMessage().contains("{body}") && e.getMessage().contains("text"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> new PromptTemplate("open { brace"));
    }

    @Test
    void jsonRoundTripsWhatTheJournalWrites() {
        String text = "line\nbreak \"quoted\" \\ tab\t \u2028 control \u0001 é";
        StringBuilder out = JsonText.write(new StringBuilder(), Map.of("answer", text));
        assertEquals(Map.of("answer", text), JsonText.parse(out.toString()));
        assertTrue(out.indexOf("\n") < 0, "a journal line holds no raw line break");
        assertThrows(IllegalArgumentException.class, () -> JsonText.parse("{\"key\":\"1\",\"answer\":\"cut sh"));
        assertNull(JsonText.parse("null"));
    }

    @Test
    void aJournalInUseIsRefusedUntilClosed() {
        Path file = dir.resolve("j.jsonl");
        BatchJournal first = BatchJournal.open(file);
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> BatchJournal.open(file));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
        first.append(new BatchResult(0, "k", "yes", Usage.of(1, 2), null, 1, false));
        first.close();
        BatchJournal again = BatchJournal.open(file);
        assertTrue(again.isAnswered("k"));
        BatchResult back = again.read(new BatchRow(0, "k", Map.of()));
        assertEquals("yes", back.answer());
        assertEquals(Usage.of(1, 2), back.usage());
        again.close();
    }

    @Test
    void aGarbledLineInTheMiddleOfAJournalIsReportedNotSkipped() throws Exception {
        Path file = dir.resolve("g.jsonl");
        Files.writeString(file, "{\"key\":\"0\",\"answer\":\"a\"}\nnot json\n{\"key\":\"2\",\"answer\":\"c\"}\n");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> BatchJournal.open(file));
        assertTrue(e.getMessage().contains("Line 2"), e.getMessage());
        BatchJournal.open(dir.resolve("other.jsonl")).close(); // and the failed open left nothing held
        Files.writeString(file, "{\"key\":\"0\",\"answer\":\"a\"}\n");
        BatchJournal.open(file).close();
    }

    @Test
    void theGateHalvesOnARateLimitAndClimbsBack() throws Exception {
        BatchGate gate = new BatchGate(8);
        gate.rateLimited(java.time.Duration.ZERO);
        assertEquals(4, gate.limit());
        for (int i = 0; i < 4; i++) {
            gate.enter();
            gate.leave(true);
        }
        assertEquals(5, gate.limit());
        gate.rateLimited(java.time.Duration.ofSeconds(5));
        gate.rateLimited(java.time.Duration.ofSeconds(5)); // the same closing: halved once
        assertEquals(2, gate.limit());
    }
}
