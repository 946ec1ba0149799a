package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helios4j.testkit.Stdout;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelMagicsTest {

    @Test
    void withoutAKernelOneLineSaysHowToAskInstead() {
        assertEquals("helios4j: no notebook kernel with magics here (%%llm needs IJava or JJava); ask with"
                + " Notebook.chat(llm, \"…\") or Notebook.stream(llm, request) instead.",
                KernelMagics.install(List.of(KernelMagicsTest.class.getClassLoader())));
    }

    @Test
    void aKernelWithoutARegistryIsNamedAndTheWayToAskGiven() {
        assertEquals("helios4j: this Other kernel has no magic registry helios4j knows, so %%llm is not available;"
                + " ask with Notebook.chat(llm, \"…\") or Notebook.stream(llm, request) instead.",
                KernelMagics.register("Other", new Object()));
    }

    @Test
    void notebookMagicsPrintsTheOneLine() {
        String out = Stdout.capture(Notebook::magics);
        assertEquals(KernelMagics.install(List.of(KernelMagicsTest.class.getClassLoader())) + "\n", out);
    }
}
