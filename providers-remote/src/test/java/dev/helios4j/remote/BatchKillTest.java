package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.Batch;
import dev.helios4j.BatchSummary;
import dev.helios4j.LlmClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch in a child JVM killed mid-run (destroyForcibly: SIGKILL, no shutdown hooks), then run again. */
class BatchKillTest {
    private static final Pattern KEY = Pattern.compile("^\\{\"key\":\"(\\d+)\",.*\"answer\":");

    @TempDir
    Path dir;

    @Test
    void aKilledRunResumesWithoutAskingAnsweredRowsAgain() throws Exception {
        int rows = 60;
        BatchServer model = new BatchServer(15);
        Path journal = dir.resolve("killed.jsonl");
        try (LoopbackServer server = new LoopbackServer(model)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    BatchChild.class.getName(), server.baseUrl(), journal.toString(), Integer.toString(rows))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (answeredKeys(journal).size() < 15) {
                    assertTrue(child.isAlive(), "the child ended before it was killed: "
                            + Files.readString(dir.resolve("child.log")));
                    assertTrue(System.nanoTime() < deadline, "the child answered fewer than 15 rows in 60 s");
                    Thread.sleep(20); // polling a file another process writes: there is no event to wait on
                }
            } finally {
                child.destroyForcibly();
                assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child did not end");
            }
            Set<String> answeredBefore = answeredKeys(journal);
            assertTrue(answeredBefore.size() < rows, "the child finished before it was killed; slow the server down");
            model.perPrompt.clear();
            try (LlmClient llm = BatchTest.client(server)) {
                BatchSummary s = Batch.of(BatchTest.prompts(rows)).prompt("{text}").concurrency(2).journal(journal).run(llm);
                assertEquals(rows, s.answered(), s.toString());
                assertEquals(answeredBefore.size(), s.resumed());
                for (String key : answeredBefore) {
                    assertEquals(0, model.callsFor("row " + key), "row " + key + " was answered before the kill and asked again");
                }
                assertEquals(rows - answeredBefore.size(), model.perPrompt.size());
                for (int i = 0; i < rows; i++) {
                    assertEquals(BatchServer.answerTo("row " + i), s.results().get(i).answer());
                }
            }
            List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
            assertEquals(rows, lines.size(), "one answer line per row, nothing torn or repeated");
            assertEquals(rows, answeredKeys(journal).size());
        }
    }

    /** The keys with an answer on a whole line (a line the kill tore has no line break yet). */
    static Set<String> answeredKeys(Path journal) throws Exception {
        Set<String> keys = new HashSet<>();
        if (!Files.exists(journal)) {
            return keys;
        }
        String text = Files.readString(journal, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return keys;
        }
        for (String line : text.substring(0, end).split("\n")) {
            Matcher m = KEY.matcher(line);
            if (m.find()) {
                keys.add(m.group(1));
            }
        }
        return keys;
    }
}
