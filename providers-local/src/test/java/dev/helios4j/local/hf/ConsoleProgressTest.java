package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helios4j.testkit.Stdout;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
    private static final HfModelRef REF = HfModelRef.parse("hf:org/repo/m.gguf");

    @Test
    void drawsOneLineInPlaceAndEndsItWhenDone() {
        String printed = Stdout.capture(() -> {
            DownloadListener bar = DownloadListener.console();
            bar.onProgress(new DownloadProgress(REF, 0, 2_000_000));
            bar.onMessage("Connection lost; resuming.");
            bar.onProgress(new DownloadProgress(REF, 2_000_000, 2_000_000));
            bar.onProgress(new DownloadProgress(REF, 2_000_000, 2_000_000)); // after the end: ignored
        });
        assertEquals("\r[                        ] m.gguf  0%  0 B / 2.0 MB\n"
                + "Connection lost; resuming.\n"
                + "\r[########################] m.gguf  100%  2.0 MB / 2.0 MB\n", printed);
    }

    @Test
    void aGeneralProgressListenerHearsBytesTotalAndFileName() {
        java.util.List<String> heard = new java.util.ArrayList<>();
        DownloadListener listener = DownloadListener.of((done, total, label) -> heard.add(done + "/" + total + " " + label));
        listener.onProgress(new DownloadProgress(REF, 10, 20));
        listener.onProgress(new DownloadProgress(REF, 5, -1));
        assertEquals(java.util.List.of("10/20 m.gguf", "5/-1 m.gguf"), heard);
    }

    @Test
    void unknownSizesShowOnlyTheCount() {
        assertEquals("m.gguf  1.5 kB", new DownloadProgress(REF, 1500, -1).toString());
    }
}
