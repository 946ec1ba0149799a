package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        PrintStream before = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Notebook.magics();
        } finally {
            System.setOut(before);
        }
        assertEquals(KernelMagics.install(List.of(KernelMagicsTest.class.getClassLoader())) + System.lineSeparator(),
                out.toString(StandardCharsets.UTF_8));
    }
}
