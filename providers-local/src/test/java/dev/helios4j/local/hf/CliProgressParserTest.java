package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CliProgressParserTest {

    @Test
    void readsTqdmByteBars() {
        assertArrayEquals(new long[] {450_000_000L, 1_000_000_000L}, CliProgressParser.parse(
                "model.Q4_K_M.gguf:  45%|████▌     | 450M/1.00G [00:10<00:12, 45.0MB/s]").orElseThrow());
        assertArrayEquals(new long[] {6, 12}, CliProgressParser.parse(
                "tiny.gguf:  50%|#####     | 6.00/12.0 [00:00<00:00, 60.0B/s]").orElseThrow());
        assertArrayEquals(new long[] {1_020_000, 1_020_000}, CliProgressParser.parse(
                "\u001B[32mx.gguf: 100%|██████████| 1.02MB/1.02MB [00:01<00:00, 1.0MB/s]\u001B[0m").orElseThrow());
    }

    @Test
    void ignoresFileCountBarsAndPlainText() {
        assertTrue(CliProgressParser.parse("Fetching 1 files: 100%|██████████| 1/1 [00:00<00:00, 9.1it/s]").isEmpty());
        assertTrue(CliProgressParser.parse("Downloading 'x.gguf' to '/c/blobs/abc.incomplete'").isEmpty());
        assertTrue(CliProgressParser.parse("").isEmpty());
    }

    @Test
    void splitterEndsLinesAtCarriageReturnsAndKeepsSplitCharactersWhole() {
        List<String> lines = new ArrayList<>();
        LineSplitter splitter = new LineSplitter(lines::add);
        byte[] bytes = "a: 10%|█ | 1/10\ra: 20%|██ | 2/10\r\nwarn é\n\nlast".getBytes(StandardCharsets.UTF_8);
        // Feed one byte at a time so the two-byte characters arrive in halves.
        for (byte b : bytes) {
            splitter.write(new byte[] {b}, 0, 1);
        }
        splitter.close();
        assertEquals(List.of("a: 10%|█ | 1/10", "a: 20%|██ | 2/10", "warn é", "last"), lines);
    }
}
