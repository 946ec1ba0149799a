package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Core loads Jackson only for typed answers: a JVM whose class path holds core and a provider but
 * no Jackson still chats, and a typed call there fails saying what to add.
 */
class PlainChatWithoutJacksonTest {

    /** Run in the child JVM. */
    public static void main(String[] args) {
        try (LlmClient llm = Llm.open("acme:x", AcmeConformanceTest.NO_CONFIG)) {
            System.out.println(llm.chat("Hi"));
            try {
                llm.chat("Who was Ada Lovelace?", String.class);
                System.out.println("typed: answered");
            } catch (LlmException e) {
                System.out.println("typed: " + e.getMessage());
            }
        }
    }

    @Test
    void plainChatNeedsNoJacksonOnTheClassPath() throws Exception {
        String classes = Path.of(Llm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        String tests = Path.of(PlainChatWithoutJacksonTest.class.getProtectionDomain().getCodeSource().getLocation()
                .toURI()).toString();
        String cp = String.join(File.pathSeparator, classes, tests, Plugins.acme().toString());
        assertTrue(!cp.contains("jackson"), cp);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
                PlainChatWithoutJacksonTest.class.getName()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end within 60 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.startsWith("Hello! You said: Hi\ntyped: Typed answers need Jackson on the class path"), out);
        assertTrue(out.contains("com/fasterxml/jackson/"), out);
    }
}
