package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which specs {@link Notebook#open} fetches from the Hub first, with the notebook's progress bar. */
class ModelOpenerTest {
    private static final String HF = "llamacpp:hf:org/repo/model-q4_k_m.gguf";

    @Test
    void aliasesAreFollowedToTheSpecTheyNameAsLlmOpenDoes() {
        Map<String, String> aliases = Map.of("fast", "Small", "small", " " + HF + " ");
        assertEquals(HF, ModelOpener.followAliases("Fast", aliases));
        assertEquals(HF, ModelOpener.followAliases(HF, aliases));
        assertEquals("demo:x", ModelOpener.followAliases("demo:x", aliases));
    }

    @Test
    void loopsAndUnknownNamesAreLeftToLlmOpenToExplain() {
        assertNull(ModelOpener.followAliases("a", Map.of("a", "b", "b", "a")));
        assertNull(ModelOpener.followAliases("nothing", Map.of()));
        assertNull(ModelOpener.followAliases(null, Map.of()));
    }
}
