package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.Batch;
import dev.helios4j.BatchSummary;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** One model on two loopback servers: rows spread over both, one dies or stalls, every row is answered. */
class BatchServersTest {

    @Test
    void twoServersOneKilledMidRunEveryRowAnswered() throws Exception {
        BatchServer a = new BatchServer(3);
        BatchServer b = new BatchServer(3);
        CountDownLatch bServedTwenty = new CountDownLatch(20);
        CountDownLatch killed = new CountDownLatch(1);
        CountDownLatch bHolding = new CountDownLatch(1);
        b.faults = (prompt, n) -> {
            bServedTwenty.countDown();
            if (n > 20) {
                bHolding.countDown();
                killed.await(30, TimeUnit.SECONDS); // calls on B from the 21st on are in flight when it dies
            }
            return null;
        };
        int rows = 300;
        try (LoopbackServer serverA = new LoopbackServer(a); LoopbackServer serverB = new LoopbackServer(b);
             LlmClient llm = OpenAiClients.builder(Transcripts.NO_CONFIG)
                     .baseUrls(List.of(serverA.baseUrl(), serverB.baseUrl())).open("batch-model")) {
            AtomicReference<BatchSummary> summary = new AtomicReference<>();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread run = new Thread(() -> {
                try {
                    summary.set(Batch.of(BatchTest.prompts(rows)).prompt("{text}").concurrency(4).run(llm));
                } catch (Throwable t) {
                    failure.set(t);
                }
            }, "batch");
            run.start();
            assertTrue(bServedTwenty.await(30, TimeUnit.SECONDS), "server B never got 20 calls: rows are not spread");
            assertTrue(bHolding.await(30, TimeUnit.SECONDS), "server B never got a 21st call");
            serverB.close(); // killed: its listening socket and every open connection close
            killed.countDown();
            int bCallsAtKill = b.calls.get();
            assertTrue(bCallsAtKill > 20, "no call was in flight on B when it died");
            run.join(60_000);
            assertTrue(!run.isAlive(), "the batch did not finish within 60 s of the kill");
            if (failure.get() != null) {
                throw new AssertionError("the batch failed", failure.get());
            }
            BatchSummary s = summary.get();
            assertEquals(rows, s.answered(), s.toString());
            assertEquals(0, s.failed());
            for (int i = 0; i < rows; i++) {
                assertEquals(BatchServer.answerTo("row " + i), s.results().get(i).answer());
            }
            assertTrue(a.calls.get() >= rows - 20, "A answered every row B did not finish: " + a.calls.get());
            assertTrue(a.calls.get() > rows / 3, "server A took over the rest: " + a.calls.get() + " calls");
            assertEquals(8, new OpenAiProvider().open(new dev.helios4j.spi.ProviderContext("openai:m", "m",
                    Transcripts.NO_CONFIG.with("openai.base-url", serverA.baseUrl()))).suggestedConcurrency());
        }
    }

    @Test
    void aStalledServerIsTakenOutOfTheRotation() throws Exception {
        BatchServer a = new BatchServer(2);
        BatchServer b = new BatchServer(0);
        CountDownLatch testOver = new CountDownLatch(1);
        b.faults = (prompt, n) -> {
            testOver.await(60, TimeUnit.SECONDS); // accepts the call and never answers
            return null;
        };
        try (LoopbackServer serverA = new LoopbackServer(a); LoopbackServer serverB = new LoopbackServer(b);
             LlmClient llm = Llm.open("openai:batch-model", Transcripts.NO_CONFIG
                     .with("openai.base-url", serverA.baseUrl() + "," + serverB.baseUrl())
                     .with("openai.timeout.first-byte", "1s").with("openai.server.cooldown", "30s"))) {
            BatchSummary s = Batch.of(BatchTest.prompts(40)).prompt("{text}").concurrency(2).run(llm);
            assertEquals(40, s.answered(), s.toString());
            assertTrue(b.calls.get() <= 2, "the stalled server kept getting calls: " + b.calls.get());
            assertEquals(40, a.perPrompt.size(), "server A answered every row");
        } finally {
            testOver.countDown();
        }
    }

    @Test
    void aBadUrlInTheListIsNamed() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Llm.open("openai:m",
                Transcripts.NO_CONFIG.with("openai.base-url", "http://127.0.0.1:9/v1, ftp://nowhere/v1")));
        assertTrue(e.getMessage().contains("ftp://nowhere/v1"), e.getMessage());
        assertEquals(16, new OpenAiProvider().open(new dev.helios4j.spi.ProviderContext("openai:m", "m",
                Transcripts.NO_CONFIG.with("openai.base-url", "http://127.0.0.1:9/v1,http://127.0.0.1:10/v1/")))
                .suggestedConcurrency());
        assertEquals("http://127.0.0.1:9/v1,http://127.0.0.1:10/v1", OpenAiClients.builder(Transcripts.NO_CONFIG)
                .baseUrl("http://127.0.0.1:9/v1/ , http://127.0.0.1:10/v1").settings().get("openai.base-url").orElseThrow(),
                "a list given to baseUrl is read as baseUrls reads it");
    }
}
