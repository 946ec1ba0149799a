package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.LlmClient;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.testkit.TestJars;
import io.github.spencerpark.jupyter.kernel.IJavaMagicsKernel;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.dflib.jjava.jupyter.kernel.JJavaMagicsKernel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code %%llm} and {@code %llm} end to end in IJava's and JJava's real magic parsers and registries
 * (see {@link IJavaMagicsKernel}, {@link JJavaMagicsKernel}), with cells run by a real JShell, on the
 * demo model and the Acme model (a jar of its own, as a kernel's {@code %jars} would add it).
 */
class MagicsTest {
    private static final Map<String, MagicKernel> KERNELS = new LinkedHashMap<>();
    private static URLClassLoader acme;
    private MagicKernel kernel;

    @BeforeAll
    static void start() throws IOException {
        Path dir = Files.createTempDirectory("helios4j-magics");
        Path jar = TestJars.build(dir, "acme.jar",
                Map.of("com.acme.llm.AcmeProvider", TestJars.resource("plugins/AcmeProvider.java")),
                Map.of("dev.helios4j.spi.LlmProvider", List.of("com.acme.llm.AcmeProvider")), List.of());
        acme = new URLClassLoader(new URL[] {jar.toUri().toURL()}, MagicsTest.class.getClassLoader());
        KERNELS.put("IJava", new IJavaMagicsKernel());
        KERNELS.put("JJava", new JJavaMagicsKernel());
    }

    @AfterAll
    static void stop() throws IOException {
        KernelMagics.closeSession();
        KERNELS.values().forEach(MagicKernel::close);
        acme.close();
    }

    @AfterEach
    void deactivate() {
        if (kernel != null) {
            kernel.deactivate();
        }
        Kernels.forget();
        Notebook.footer(true);
    }

    /** Activates a kernel with the magics freshly registered (a new session) and no outputs yet. */
    private MagicKernel kernel(String name) {
        Kernels.forget();
        kernel = KERNELS.get(name);
        kernel.activate();
        String said = KernelMagics.install(List.of(MagicsTest.class.getClassLoader()));
        assertEquals("helios4j: %%llm and %llm are ready in " + name + "; %llm help shows how to use it.", said);
        kernel.clearOutputs();
        Notebook.footer(false);
        return kernel;
    }

    /** Runs a cell with the Acme jar visible, as it is after {@code %jars acme.jar}. */
    private void run(String cell) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(acme);
        try {
            kernel.run(cell);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private String lastPlain() {
        List<MagicKernel.Shown> shown = kernel.outputs();
        assertFalse(shown.isEmpty(), "the cell showed nothing");
        return shown.get(shown.size() - 1).plain();
    }

    /** Checks the cell made exactly one output, shown once and then only rewritten in place; returns its last text. */
    private String oneLiveOutput() {
        List<MagicKernel.Shown> shown = kernel.outputs();
        assertFalse(shown.isEmpty(), "the cell showed nothing");
        assertFalse(shown.get(0).update(), "the first output is a display: " + shown);
        assertEquals(1, shown.stream().filter(s -> !s.update()).count(), "one display, then updates: " + shown);
        String id = shown.get(0).displayId();
        assertTrue(shown.stream().allMatch(s -> s.displayId().equals(id)), "every update rewrites the one output: " + shown);
        return shown.get(shown.size() - 1).plain();
    }

    @Test
    void registeringAgainClosesTheClientsOfTheSessionItReplaces() {
        kernel("IJava");
        run("%llm use acme:x");
        LlmMagic first = KernelMagics.session();
        LlmClient opened = first.client("acme:x");
        assertFalse(opened.isClosed());
        kernel("IJava"); // the setup cell run again
        assertTrue(opened.isClosed(), "the replaced session's client is closed");
        assertNotSame(first, KernelMagics.session());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IJava", "JJava"})
    void cellStreamsTheDemoAnswerIntoOneOutput(String name) {
        kernel(name);
        run("%%llm demo\nWhy is the sky blue?");
        assertEquals(DemoModels.CHAT_ANSWER, oneLiveOutput());
        assertTrue(kernel.outputs().size() >= 2, "shown, then updated with the answer: " + kernel.outputs());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IJava", "JJava"})
    void aLongAnswerIsUpdatedInPlaceWhileItStreams(String name) {
        kernel(name);
        run("%%llm acme:x --max-tokens 400\nCount");
        String expected = IntStream.range(0, 400).mapToObj(i -> List.of("one", "two", "three", "four", "five", "six",
                "seven", "eight", "nine", "ten").get(i % 10)).collect(Collectors.joining(" "));
        assertEquals(expected + "\n\n[cut off at the token limit]", oneLiveOutput());
        List<MagicKernel.Shown> streaming = kernel.outputs().stream()
                .filter(s -> s.update() && s.markdown().endsWith("▍")).toList();
        assertTrue(!streaming.isEmpty(), "400 words at a millisecond each take 400 ms or more, so at least one"
                + " throttled update (every 100 ms) shows the answer growing: " + kernel.outputs().size() + " outputs");
        assertTrue(expected.startsWith(streaming.get(0).plain()), streaming.get(0).plain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IJava", "JJava"})
    void optionsAreParsedFromTheKernelsSplitIncludingQuotedText(String name) {
        kernel(name);
        run("%%llm acme:x --chat --system \"Be terse, please.\" --temperature 0.1 --max-tokens=3\nHello there friend");
        assertEquals("Hello! You said:\n\n[cut off at the token limit]", oneLiveOutput()); // three words
        kernel.clearOutputs();
        run("%llm chat");
        String transcript = lastPlain();
        assertTrue(transcript.startsWith("System: Be terse, please.\nYou: Hello there friend\n"), transcript);
    }

    @ParameterizedTest
    @ValueSource(strings = {"IJava", "JJava"})
    void chatContinuesOneConversationAcrossCells(String name) {
        kernel(name);
        run("%%llm acme:x --chat\nHello");
        assertEquals("Hello! You said: Hello", oneLiveOutput());
        kernel.clearOutputs();
        run("%%llm acme:x --chat\nAnd then?");
        assertEquals("Hello! You said: And then?", oneLiveOutput());
        kernel.clearOutputs();
        run("%llm chat");
        assertEquals("You: Hello\nacme:x: Hello! You said: Hello\nYou: And then?\nacme:x: Hello! You said: And then?\n",
                lastPlain());
        kernel.clearOutputs();
        run("%%llm acme:x\nNot part of it");
        run("%llm reset");
        kernel.clearOutputs();
        run("%llm chat");
        assertEquals("No --chat conversation yet: start one with %%llm --chat.", lastPlain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IJava", "JJava"})
    void bracesInsertNotebookVariablesAndDoubledBracesEscape(String name) {
        kernel(name);
        run("String topic = \"tides\"; int n = 3;");
        run("%%llm acme:x\nTell me {n} things about {topic}, as {{json}} {\"k\": 1}");
        assertEquals("Hello! You said: Tell me 3 things about tides, as {json} {\"k\": 1}", oneLiveOutput());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IJava", "JJava"})
    void aMissingVariableIsAShortErrorThatSaysWhatToDo(String name) {
        kernel(name);
        run("%%llm acme:x\nWhat is {undefinedThing}?");
        assertEquals(1, kernel.outputs().size(), "no answer began: " + kernel.outputs());
        assertEquals("⚠ Cannot run %%llm\n{undefinedThing}: no variable 'undefinedThing' in this notebook. Define it in a"
                + " cell above (var undefinedThing = \"…\";), or write {{undefinedThing}} to keep the braces.", lastPlain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IJava", "JJava"})
    void useSetsTheSessionsModel(String name) {
        kernel(name);
        run("%llm use acme:y");
        assertEquals("%%llm now asks acme:y.", lastPlain());
        kernel.clearOutputs();
        run("%%llm\nHello");
        assertEquals("Hello! You said: Hello", oneLiveOutput());
        kernel.clearOutputs();
        Notebook.footer(true);
        run("%%llm\nHello");
        assertTrue(lastPlain().startsWith("Hello! You said: Hello\n\n[acme-y · 4 tokens"), lastPlain());
        kernel.clearOutputs();
        run("%llm models");
        assertTrue(lastPlain().startsWith("In use: acme:y (acme:y)\n"), lastPlain());
        kernel.clearOutputs();
        run("%llm use demo");
        assertEquals("%%llm now asks demo (llamacpp:demo).", lastPlain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IJava", "JJava"})
    void providersAndHelpAreListed(String name) {
        kernel(name);
        run("%llm providers");
        String providers = lastPlain();
        assertTrue(providers.contains("acme - Acme word-by-word test models"), providers);
        assertTrue(providers.lines().anyMatch(l -> l.startsWith("llamacpp - ")), providers);
        kernel.clearOutputs();
        run("%llm");
        assertEquals(LlmMagic.help(), lastPlain());
        kernel.clearOutputs();
        run("%llm help");
        assertEquals(LlmMagic.help(), lastPlain());
    }

    @ParameterizedTest
    @ValueSource(strings = {"IJava", "JJava"})
    void everyErrorIsOneShortBlockNeverATrace(String name) {
        kernel(name);
        Map<String, String> cells = new LinkedHashMap<>();
        cells.put("%%llm acme:x --temperature hot\nHi",
                "⚠ Cannot run %%llm\n--temperature needs a number, got 'hot'; e.g. --temperature 0.2");
        cells.put("%%llm acme:x --temperature 5\nHi",
                "⚠ Cannot run %%llm\ntemperature must be between 0 and 2 (0 is greedy), got 5.0.");
        cells.put("%%llm acme:x --max-tokens\nHi", "⚠ Cannot run %%llm\n--max-tokens needs a value, e.g. --max-tokens 256");
        cells.put("%%llm acme:x --verbose\nHi", "⚠ Cannot run %%llm\nUnknown option --verbose. Use: " + MagicOptions.SYNOPSIS);
        cells.put("%%llm acme:x Be terse\nHi", "⚠ Cannot run %%llm\nOnly one model may follow %%llm, got 'acme:x' and 'Be'."
                + " Put the question on the lines below, and quote text with spaces: --system \"Be terse.\"");
        cells.put("%%llm acme:x\n   ", "⚠ Cannot run %%llm\nThe cell has no question: write it on the lines under %%llm.");
        cells.put("%llm frobnicate", "⚠ Cannot run %llm\nUnknown command '%llm frobnicate'. Commands: use MODEL, models,"
                + " providers, chat, reset, help. To ask, put %%llm on a cell's first line and the question under it.");
        cells.put("%llm use", "⚠ Cannot run %llm\n%llm use takes one model, e.g. %llm use demo or %llm use openai:gpt-4o-mini.");
        cells.put("%%llm acme:missing\nHi", "⚠ Model not found\nAcme has no model named 'missing'.");
        for (Map.Entry<String, String> cell : cells.entrySet()) {
            kernel.clearOutputs();
            run(cell.getKey()); // throws if the kernel's code failed: the magic must show, not throw
            assertEquals(1, kernel.outputs().size(), cell.getKey() + ": " + kernel.outputs());
            assertEquals(cell.getValue(), lastPlain(), cell.getKey());
        }
        kernel.clearOutputs();
        run("%llm use nosuch:model");
        assertTrue(lastPlain().startsWith("⚠ No provider for this model\n"), lastPlain());
        assertTrue(lastPlain().lines().count() < 12, lastPlain());
    }
}
