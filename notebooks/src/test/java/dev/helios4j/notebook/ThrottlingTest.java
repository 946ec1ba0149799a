package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.ChatMessage;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.Timings;
import dev.helios4j.Usage;
import dev.helios4j.internal.Throttle;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottlingTest {
    private final FakeClock clock = new FakeClock();
    private final RecordingFrontend frontend = new RecordingFrontend();
    private final AnswerFormat format = new AnswerFormat("acme:x", false, "", "");

    private static ChatResponse response(String text, int tokens) {
        return new ChatResponse(ChatMessage.assistant(text), Usage.of(3, tokens), FinishReason.STOP,
                new Timings(Duration.ofMillis(1), Duration.ofSeconds(5), 1000.0), "acme-x");
    }

    @Test
    void fiveThousandTokenStreamSendsNoMoreUpdatesThanTheThrottleAllowsAndAnExactFinalOne() {
        LiveAnswer answer = new LiveAnswer(frontend, new Throttle(clock, Throttle.DEFAULT_INTERVAL), format);
        StringBuilder all = new StringBuilder();
        answer.start();
        for (int i = 0; i < 5_000; i++) {
            clock.advance(Duration.ofMillis(1)); // 1,000 tokens a second for 5 s
            String piece = (i == 0 ? "" : " ") + "w" + i;
            all.append(piece);
            answer.onToken(piece);
        }
        answer.complete(response(all.toString(), 5_000));

        long throttledAllowed = Duration.ofSeconds(5).dividedBy(Throttle.DEFAULT_INTERVAL);
        assertEquals(1, frontend.calls.stream().filter(RecordingFrontend.Call::display).count());
        assertTrue(frontend.updates() <= throttledAllowed + 1, "updates: " + frontend.updates());
        assertTrue(frontend.updates() >= throttledAllowed - 1, "still live, updates: " + frontend.updates());
        assertEquals(all.toString(), frontend.last().output().plain());
        assertTrue(frontend.calls.stream().allMatch(c -> c.id().equals(answer.displayId())), "one output, one id");
    }

    @Test
    void burstFasterThanTheIntervalShowsOnlyTheFinalTextAfterTheFirstDisplay() {
        LiveAnswer answer = new LiveAnswer(frontend, new Throttle(clock, Throttle.DEFAULT_INTERVAL), format);
        answer.start();
        for (int i = 0; i < 1_000; i++) {
            answer.onToken("x");
        }
        answer.complete(response("x".repeat(1_000), 1_000));
        assertEquals(1, frontend.updates());
        assertEquals("x".repeat(1_000), frontend.last().output().plain());
    }
}
