package dev.helios4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Core's public API is the one in api/core.txt; and the renderer itself. */
class ApiFileTest {

    @Test
    void publicApiMatchesTheCommittedFile() {
        ApiFile.check("core");
    }

    @Test
    void listsPublicMembersWithGenericSignaturesAndLeavesOutWhatIsNotApi() {
        List<String> lines = ApiFile.render(Path.of("target", "classes"));
        assertTrue(lines.contains("dev.helios4j.spi.LlmProvider: type public interface"), String.join("\n", lines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("dev.helios4j.Llm: method public static ")),
                "Llm's static factories are API");
        assertFalse(lines.stream().anyMatch(l -> l.contains(" private ")), "private members are not API");
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("dev.helios4j.BatchGate")),
                "package-private types are not API");
    }

    @Test
    void typeNamesAreWrittenTheSameWayOnEveryJdk() throws Exception {
        var method = Sample.class.getMethod("pick", List.class, Object[].class);
        assertEquals("java.util.List<? extends java.lang.CharSequence>", ApiFile.name(method.getGenericParameterTypes()[0]));
        assertEquals("T[]", ApiFile.name(method.getGenericParameterTypes()[1]));
        assertEquals("java.util.Map$Entry<java.lang.String, ? super java.lang.Integer>",
                ApiFile.name(method.getGenericReturnType()));
    }

    interface Sample {
        <T> java.util.Map.Entry<String, ? super Integer> pick(List<? extends CharSequence> a, T[] b);
    }
}
