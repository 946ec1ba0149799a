package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-token JSON string writer gives text that a JSON parser reads back unchanged. */
class JavaEngineJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String roundTrip(String s) throws Exception {
        ServedBytes b = new ServedBytes(4).append("\"".getBytes(StandardCharsets.UTF_8)).appendEscaped(s)
                .append("\"".getBytes(StandardCharsets.UTF_8));
        return JSON.readValue(b.toArray(), String.class);
    }

    @Test
    void escapesWhatJsonRequiresAndEncodesUtf8() throws Exception {
        for (String s : List.of("", " world!", "quote \" and \\ backslash", "line\nfeed\r\ttab", "\u0000\u0001\u001f\u007f",
                "é à ü", "日本語", "emoji \uD83D\uDE00 pair", "\u2028\u2029")) {
            assertEquals(s, roundTrip(s));
        }
    }

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacter() throws Exception {
        assertEquals("a\uFFFDb", roundTrip("a\uD83Db"));
        assertEquals("\uFFFD", roundTrip("\uDE00"));
    }

    @Test
    void randomTextRoundTrips() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            StringBuilder s = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x780);
                    case 2 -> 0xE000 + random.nextInt(0x1000);
                    default -> 0x10000 + random.nextInt(0x10000);
                };
                s.appendCodePoint(cp);
            }
            assertEquals(s.toString(), roundTrip(s.toString()));
        }
    }
}
