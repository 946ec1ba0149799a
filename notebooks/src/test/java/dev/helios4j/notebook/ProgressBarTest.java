package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.internal.Throttle;
import dev.helios4j.testkit.Stdout;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void notebookBarIsHtmlUpdatedInPlaceAndDrawnExactlyAtTheEnd() {
        RecordingFrontend frontend = new RecordingFrontend();
        FakeClock clock = new FakeClock();
        ProgressBar bar = new ProgressBar(frontend, new Throttle(clock, Duration.ofMillis(100)));
        long total = 50_000_000;
        for (long done = 0; done <= total; done += 10_000) { // 5,001 calls in 1 s of fake time
            bar.onProgress(done, total, "model.gguf");
            clock.advance(Duration.ofNanos(200_000));
        }
        assertTrue(frontend.calls.size() <= 1 + 10 + 1, "calls: " + frontend.calls.size());
        assertTrue(frontend.calls.stream().allMatch(c -> c.id().equals(frontend.calls.get(0).id())));
        Output last = frontend.last().output();
        assertEquals("text/html", last.richMime());
        assertTrue(last.rich().contains("<progress value=\"50000000\" max=\"50000000\""), last.rich());
        assertTrue(last.rich().contains("50.0 MB of 50.0 MB (100%)"), last.rich());
        assertEquals("model.gguf [##############################] 100% 50.0 MB / 50.0 MB", last.plain());
    }

    @Test
    void unknownSizeShowsBytesSoFarAndCloseDrawsTheLastState() {
        RecordingFrontend frontend = new RecordingFrontend();
        ProgressBar bar = new ProgressBar(frontend, new Throttle(new FakeClock(), Duration.ofMillis(100)));
        bar.onProgress(1_000, -1, "x");
        bar.onProgress(2_500_000, -1, "x");
        bar.close();
        assertEquals("x 2.5 MB", frontend.last().output().plain());
        assertTrue(frontend.last().output().rich().startsWith("<div><progress style="), "indeterminate bar");
    }

    @Test
    void terminalBarRewritesOneLineAndEndsItWhenDone() {
        String printed = Stdout.capture(() -> {
            ProgressBar bar = new ProgressBar(null, new Throttle(new FakeClock(), Duration.ofMillis(100)));
            bar.onProgress(0, 2_000, "f<1>");
            bar.onProgress(2_000, 2_000, "f<1>");
        });
        assertEquals("\rf<1> [------------------------------]   0% 0 B / 2.0 kB"
                + "\rf<1> [##############################] 100% 2.0 kB / 2.0 kB\n", printed);
        assertTrue(ProgressBar.html(1, 2, "f<1>").contains("<code>f&lt;1&gt;</code>"));
    }
}
