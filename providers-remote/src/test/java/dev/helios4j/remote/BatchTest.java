package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.Batch;
import dev.helios4j.BatchProgress;
import dev.helios4j.BatchResult;
import dev.helios4j.BatchSummary;
import dev.helios4j.ChatRequest;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.ServerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batches against a real OpenAI-format server on loopback (BatchServer), through the openai provider. */
class BatchTest {
    @TempDir
    Path dir;

    static LlmClient client(LoopbackServer server) {
        // the provider's own retries off: the batch's retries and its shared gate are what is tested
        return OpenAiClients.builder(Transcripts.NO_CONFIG).baseUrl(server.baseUrl()).maxRetries(0).open("batch-model");
    }

    static List<String> prompts(int n) {
        return IntStream.range(0, n).mapToObj(i -> "row " + i).collect(Collectors.toList());
    }

    @Test
    void answersComeInInputOrderAndConcurrencyIsNeverExceeded() throws Exception {
        BatchServer model = new BatchServer(0);
        CountDownLatch fourInFlight = new CountDownLatch(4);
        model.faults = (prompt, n) -> {
            if (n <= 4) { // hold the first four until all four are in: proves the batch reaches its concurrency
                fourInFlight.countDown();
                assertTrue(fourInFlight.await(20, TimeUnit.SECONDS), "the batch never had 4 calls in flight");
            }
            Thread.sleep((prompt.hashCode() & 7)); // uneven latencies, so answers settle out of order
            return null;
        };
        try (LoopbackServer server = new LoopbackServer(model); LlmClient llm = client(server)) {
            List<String> prompts = prompts(120);
            BatchSummary s = Batch.of(prompts).prompt("{text}").concurrency(4).window(8).run(llm);
            assertEquals(120, s.rows());
            assertEquals(120, s.answered());
            assertEquals(0, s.failed());
            for (int i = 0; i < prompts.size(); i++) {
                assertEquals(i, s.results().get(i).index());
                assertEquals(BatchServer.answerTo(prompts.get(i)), s.results().get(i).answer());
            }
            assertTrue(model.maxInFlight.get() <= 4, "the server saw " + model.maxInFlight.get() + " calls at once");
            assertEquals(4, model.maxInFlight.get());
            assertEquals(120, model.calls.get(), "every row asked once");
            assertTrue(s.promptTokens() > 0 && s.completionTokens() > 0, s.toString());
        }
    }

    @Test
    void theProviderSuggestsEightCallsForARemoteServer() throws Exception {
        BatchServer model = new BatchServer(0);
        CountDownLatch eight = new CountDownLatch(8);
        model.faults = (prompt, n) -> {
            if (n <= 8) {
                eight.countDown();
                assertTrue(eight.await(20, TimeUnit.SECONDS), "the batch never had 8 calls in flight");
            }
            return null;
        };
        try (LoopbackServer server = new LoopbackServer(model); LlmClient llm = client(server)) {
            BatchSummary s = Batch.of(prompts(40)).prompt("{text}").run(llm);
            assertEquals(40, s.answered());
            assertEquals(8, model.maxInFlight.get());
        }
    }

    /** The server's third call is refused with a 429 that asks for 2 s. */
    private static BatchServer rateLimitedOnTheThirdCall() {
        BatchServer model = new BatchServer(2);
        model.faults = (prompt, n) -> n == 3
                ? new BatchServer.Fault(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}",
                "Retry-After: 2") : null;
        return model;
    }

    /**
     * Calls that arrived while every worker should have been waiting, in ms after the 429. Calls
     * already on their way when the 429 went out may still arrive just after it (a busy machine
     * may delay them); from 600 ms on, none may arrive until the 2 s the server asked for have
     * passed, from any worker.
     */
    private static List<Long> arrivalsDuringTheWait(List<BatchServer.Arrival> arrivals, long limitedAt) {
        return arrivals.stream().map(a -> (a.nanos() - limitedAt) / 1_000_000)
                .filter(ms -> ms >= 600 && ms < 1950).collect(Collectors.toList());
    }

    private static long limitedAt(List<BatchServer.Arrival> arrivals) {
        return arrivals.stream().filter(a -> a.status() == 429).findFirst().orElseThrow().nanos();
    }

    @Test
    void aRateLimitClosesTheGateForEveryWorker() throws Exception {
        BatchServer model = rateLimitedOnTheThirdCall();
        try (LoopbackServer server = new LoopbackServer(model); LlmClient llm = client(server)) {
            BatchSummary s = Batch.of(prompts(24)).prompt("{text}").concurrency(4).run(llm);
            assertEquals(24, s.answered(), s.toString());
            assertEquals(25, s.calls(), "the rate-limited row was asked again, the rest once");
            List<BatchServer.Arrival> arrivals = new ArrayList<>(model.arrivals);
            long limitedAt = limitedAt(arrivals);
            assertEquals(List.of(), arrivalsDuringTheWait(arrivals, limitedAt),
                    "calls arrived while the batch should have been waiting (ms after the 429)");
            assertTrue(arrivals.stream().filter(a -> a.nanos() - limitedAt >= 1_950_000_000L).count() >= 24 - 3 - 4,
                    "most rows waited for the Retry-After");
            assertTrue(s.wall().toMillis() >= 2000, "the batch took " + s.wall() + ", less than Retry-After");
        }
    }

    @Test
    void aRateLimitReachesTheGateEvenWhenTheProviderRetriesCallsOfItsOwn() throws Exception {
        BatchServer model = rateLimitedOnTheThirdCall();
        // openai.retries left at its default (2): the batch's calls go out with retries(0) all the same
        try (LoopbackServer server = new LoopbackServer(model);
             LlmClient llm = OpenAiClients.builder(Transcripts.NO_CONFIG).baseUrl(server.baseUrl()).open("batch-model")) {
            BatchSummary s = Batch.of(prompts(24)).prompt("{text}").concurrency(4).run(llm);
            assertEquals(24, s.answered(), s.toString());
            assertEquals(25, s.calls(), "the batch saw the 429 itself (a retry inside the provider's call would hide it)");
            assertEquals(25, model.calls.get(), "the server was asked once per row and once more for the limited one");
            List<BatchServer.Arrival> arrivals = new ArrayList<>(model.arrivals);
            assertEquals(List.of(), arrivalsDuringTheWait(arrivals, limitedAt(arrivals)),
                    "calls arrived while the batch should have been waiting (ms after the 429)");
        }
    }

    @Test
    void aRequestsOwnRetriesOverrideTheProvidersSetting() throws Exception {
        BatchServer model = new BatchServer(0);
        model.faults = (prompt, n) -> n <= 2
                ? new BatchServer.Fault(503, "{\"error\":{\"message\":\"overloaded\"}}", "Retry-After: 0") : null;
        try (LoopbackServer server = new LoopbackServer(model);
             LlmClient llm = OpenAiClients.builder(Transcripts.NO_CONFIG).baseUrl(server.baseUrl()).maxRetries(2).open("batch-model")) {
            ChatRequest once = ChatRequest.builder().user("row 0").retries(0).build();
            assertThrows(ServerException.class, () -> llm.chat(once), "no retry for a request that asks for none");
            assertEquals(1, model.calls.get());
            ChatRequest more = ChatRequest.builder().user("row 0").retries(1).build();
            assertEquals(BatchServer.answerTo("row 0"), llm.chat(more).text(), "the second 503, then an answer");
            assertEquals(3, model.calls.get());
        }
    }

    @Test
    void aFailedRowIsReportedAndTheRestFinish() throws Exception {
        BatchServer model = new BatchServer(0);
        model.faults = (prompt, n) -> {
            if (prompt.equals("row 5")) {
                return new BatchServer.Fault(400, "{\"error\":{\"message\":\"bad row\",\"type\":\"invalid_request_error\"}}");
            }
            if (prompt.equals("row 7") && model.callsFor("row 7") <= 2) {
                return new BatchServer.Fault(503, "{\"error\":{\"message\":\"overloaded\"}}");
            }
            return null;
        };
        try (LoopbackServer server = new LoopbackServer(model); LlmClient llm = client(server)) {
            BatchSummary s = Batch.of(prompts(12)).prompt("{text}").concurrency(3)
                    .initialBackoff(java.time.Duration.ofMillis(10)).run(llm);
            assertEquals(11, s.answered());
            assertEquals(1, s.failed());
            BatchResult bad = s.results().get(5);
            assertFalse(bad.ok());
            assertTrue(bad.error().contains("HTTP 400") && bad.error().contains("bad row"), bad.error());
            assertEquals(1, bad.attempts(), "a rejected request is not retried");
            assertEquals(3, s.results().get(7).attempts(), "two 503s, then the answer");
            assertEquals(BatchServer.answerTo("row 7"), s.results().get(7).answer());
            assertEquals(1, s.failures().size());
        }
    }

    @Test
    void stopOnFailureEndsTheBatchWithTheFailure() throws Exception {
        BatchServer model = new BatchServer(0);
        model.faults = (prompt, n) -> prompt.equals("row 3")
                ? new BatchServer.Fault(400, "{\"error\":{\"message\":\"bad row\"}}") : null;
        try (LoopbackServer server = new LoopbackServer(model); LlmClient llm = client(server)) {
            LlmException e = assertThrows(LlmException.class,
                    () -> Batch.of(prompts(500)).prompt("{text}").concurrency(2).stopOnFailure(true).run(llm));
            assertTrue(e.getMessage().contains("Row 3") && e.getMessage().contains("stopOnFailure"), e.getMessage());
            assertTrue(model.calls.get() < 500, "the batch went on after the failure: " + model.calls.get() + " calls");
        }
    }

    @Test
    void aReRunWithTheJournalAsksOnlyTheRowsNotAnswered() throws Exception {
        BatchServer model = new BatchServer(0);
        model.faults = (prompt, n) -> prompt.equals("row 7")
                ? new BatchServer.Fault(500, "{\"error\":{\"message\":\"boom\"}}") : null;
        Path journal = dir.resolve("run.jsonl");
        try (LoopbackServer server = new LoopbackServer(model); LlmClient llm = client(server)) {
            Batch batch = Batch.of(prompts(30)).prompt("{text}").concurrency(3).retries(1)
                    .initialBackoff(java.time.Duration.ofMillis(5)).journal(journal);
            BatchSummary first = batch.run(llm);
            assertEquals(29, first.answered());
            assertEquals(1, first.failed());
            assertEquals(30, Files.readAllLines(journal).size(), "one line per settled row");

            model.faults = (prompt, n) -> null;
            model.perPrompt.clear();
            List<BatchProgress> seen = new CopyOnWriteArrayList<>();
            BatchSummary second = batch.progress(seen::add).run(llm);
            assertEquals(30, second.answered());
            assertEquals(29, second.resumed());
            assertEquals(Map.of("row 7", 1), model.perPrompt.entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())), "only the failed row asked again");
            assertEquals(BatchServer.answerTo("row 3"), second.results().get(3).answer());
            assertTrue(second.results().get(3).fromJournal());
            assertFalse(second.results().get(7).fromJournal());
            BatchProgress last = seen.get(seen.size() - 1);
            assertTrue(last.finished());
            assertEquals(30, last.done());
        }
    }

    @Test
    void aTornLastJournalLineIsIgnoredAndCutOff() throws Exception {
        BatchServer model = new BatchServer(0);
        Path journal = dir.resolve("torn.jsonl");
        try (LoopbackServer server = new LoopbackServer(model); LlmClient llm = client(server)) {
            Batch batch = Batch.of(prompts(6)).prompt("{text}").concurrency(2).journal(journal);
            batch.run(llm);
            // a crash in the middle of writing a seventh line: no line break, JSON cut short
            String whole = Files.readString(journal);
            String lastLine = whole.substring(whole.lastIndexOf('\n', whole.length() - 2) + 1);
            String kept = whole.substring(0, whole.length() - lastLine.length());
            Files.writeString(journal, kept + lastLine.substring(0, lastLine.length() / 2));
            String tornKey = lastLine.substring(lastLine.indexOf("\"key\":\"") + 7, lastLine.indexOf("\",\""));
            model.perPrompt.clear();
            BatchSummary again = batch.run(llm);
            assertEquals(6, again.answered());
            assertEquals(5, again.resumed());
            assertEquals(1, model.callsFor("row " + tornKey), "the torn row is asked again");
            List<String> lines = Files.readAllLines(journal, StandardCharsets.UTF_8);
            assertEquals(6, lines.size());
            for (String line : lines) {
                assertTrue(line.startsWith("{\"key\":") && line.endsWith("}"), "a bad line remained: " + line);
            }
        }
    }

    @Test
    void interruptingTheCallerEndsTheBatchWithTheJournalConsistent() throws Exception {
        BatchServer model = new BatchServer(0);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(2);
        model.faults = (prompt, n) -> {
            if (n > 10) { // the first ten are answered; the next calls hang until the test ends
                stuck.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
            return null;
        };
        Path journal = dir.resolve("stop.jsonl");
        try (LoopbackServer server = new LoopbackServer(model); LlmClient llm = client(server)) {
            AtomicReference<BatchSummary> summary = new AtomicReference<>();
            AtomicReference<Boolean> flagAfter = new AtomicReference<>();
            Thread cell = new Thread(() -> {
                summary.set(Batch.of(prompts(50)).prompt("{text}").concurrency(2).journal(journal).run(llm));
                flagAfter.set(Thread.currentThread().isInterrupted());
            }, "cell");
            cell.start();
            assertTrue(stuck.await(20, TimeUnit.SECONDS), "the batch never reached the hanging calls");
            cell.interrupt();
            cell.join(10_000);
            release.countDown();
            assertFalse(cell.isAlive(), "the batch did not end within 10 s of the interrupt");
            BatchSummary s = summary.get();
            assertNotNull(s);
            assertTrue(s.stopped());
            assertEquals(10, s.answered());
            assertTrue(flagAfter.get(), "the interrupt flag is set again");
            assertEquals(10, Files.readAllLines(journal).size(), "only the settled rows are journaled");

            model.faults = (prompt, n) -> null;
            model.perPrompt.clear();
            BatchSummary rest = Batch.of(prompts(50)).prompt("{text}").concurrency(2).journal(journal).run(llm);
            assertEquals(50, rest.answered());
            assertEquals(10, rest.resumed());
            assertEquals(40, model.perPrompt.size(), "the ten answered rows were not asked again");
        }
    }
}
