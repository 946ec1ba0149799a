package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromptTemplateTest {
    private final List<String> asked = new ArrayList<>();
    private final PromptTemplate.Variables vars = name -> {
        asked.add(name);
        Map<String, Object> known = Map.of("topic", "tides", "n", 3, "é", "accent");
        if (!known.containsKey(name)) {
            throw new IllegalArgumentException("cannot find symbol");
        }
        return known.get(name);
    };

    @Test
    void identifiersInBracesAreReplacedAndOnlyThoseAreRead() {
        assertEquals("3 facts on tides", PromptTemplate.fill("{n} facts on {topic}", vars));
        assertEquals("accent", PromptTemplate.fill("{é}", vars));
        assertEquals(List.of("n", "topic", "é"), asked);
    }

    @Test
    void doubledBracesWriteOneBraceAndAreNotRead() {
        assertEquals("{topic} and }", PromptTemplate.fill("{{topic}} and }}", vars));
        assertEquals(List.of(), asked);
    }

    @Test
    void bracesAroundAnythingElseStayAsWritten() {
        String code = "if (x) { return 1; } {\"k\": 1} { topic } {} {1a} {";
        assertEquals(code, PromptTemplate.fill(code, vars));
        assertEquals(List.of(), asked);
    }

    @Test
    void aMissingVariableSaysHowToDefineItOrEscapeIt() {
        MagicUsageException e = assertThrows(MagicUsageException.class, () -> PromptTemplate.fill("a {nope} b", vars));
        assertEquals("{nope}: no variable 'nope' in this notebook. Define it in a cell above (var nope = \"…\";),"
                + " or write {{nope}} to keep the braces.", e.getMessage());
        assertTrue(e.getStackTrace().length == 0, "a usage error carries no trace");
    }

    @Test
    void aNullValueIsWrittenAsNull() {
        assertEquals("null", PromptTemplate.fill("{x}", name -> null));
    }
}
