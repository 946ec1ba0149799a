package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MagicOptionsTest {

    @Test
    void everyOptionInBothForms() {
        assertEquals(new MagicOptions("openai:gpt-4o-mini", "Be terse.", 0.2, 64, true),
                MagicOptions.parse(List.of("openai:gpt-4o-mini", "--system", "Be terse.", "--temperature", "0.2",
                        "--max-tokens", "64", "--chat")));
        assertEquals(new MagicOptions(null, "Be terse.", 0.0, 1, false),
                MagicOptions.parse(List.of("--system=Be terse.", "--temperature=0", "--max-tokens=1")));
        assertEquals(new MagicOptions(null, null, null, null, false), MagicOptions.parse(List.of()));
    }

    @Test
    void badOptionsSayWhatToWrite() {
        assertEquals("--max-tokens needs a whole number, got '1.5'; e.g. --max-tokens 256", message("--max-tokens", "1.5"));
        assertEquals("--system needs a value, e.g. --system \"Be terse.\"", message("--system"));
        assertEquals("--chat takes no value; write --chat alone.", message("--chat=yes"));
        assertEquals("Unknown option --model. Use: " + MagicOptions.SYNOPSIS, message("--model", "demo"));
        assertEquals("temperature must be between 0 and 2 (0 is greedy), got -1.0.", message("--temperature", "-1"));
    }

    private static String message(String... args) {
        return assertThrows(MagicUsageException.class, () -> MagicOptions.parse(List.of(args))).getMessage();
    }
}
