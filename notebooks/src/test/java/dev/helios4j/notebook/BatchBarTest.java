package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.BatchProgress;
import dev.helios4j.internal.Throttle;
import dev.helios4j.testkit.Stdout;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchBarTest {

    private static BatchProgress at(long done, long failed, boolean finished) {
        return new BatchProgress(100, done - failed, failed, 0, finished ? 0 : 4, done * 10, done * 5,
                Duration.ofSeconds(Math.max(1, done / 10)), finished);
    }

    @Test
    void oneHtmlOutputUpdatedInPlaceAndTheEndAlwaysDrawn() {
        RecordingFrontend frontend = new RecordingFrontend();
        FakeClock clock = new FakeClock();
        BatchBar bar = new BatchBar(frontend, new Throttle(clock, Duration.ofMillis(100)));
        for (int done = 0; done < 100; done++) {
            bar.accept(at(done, done / 50, false));
            clock.advance(Duration.ofMillis(10)); // ten snapshots per throttle interval
        }
        bar.accept(at(100, 2, true)); // right after the one before: drawn anyway
        assertTrue(frontend.calls.get(0).display());
        assertTrue(frontend.calls.size() <= 1 + 10 + 1, "calls: " + frontend.calls.size());
        assertTrue(frontend.calls.stream().allMatch(c -> c.id().equals(frontend.calls.get(0).id())));
        Output last = frontend.last().output();
        assertTrue(last.rich().contains("<progress value=\"100\" max=\"100\""), last.rich());
        assertEquals("100/100 rows (100%), 2 failed, 1500 tokens, 10.0 rows/s, 0:10", last.plain());
        assertTrue(last.rich().contains("2 failed"), last.rich());
    }

    @Test
    void theTerminalGetsOneLineEndedAtTheFinish() {
        String out = Stdout.capture(() -> {
            BatchBar bar = new BatchBar(null, new Throttle(new FakeClock(), Duration.ofMillis(100)));
            bar.accept(at(0, 0, false));
            bar.accept(at(50, 0, false)); // throttled: no time passed
            bar.accept(at(100, 0, true));
        });
        assertEquals(2, out.chars().filter(c -> c == '\r').count(), out);
        assertTrue(out.endsWith("100/100 rows (100%), 1500 tokens, 10.0 rows/s, 0:10\n"), out);
    }
}
