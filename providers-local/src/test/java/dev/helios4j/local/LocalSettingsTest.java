package dev.helios4j.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.local.internal.LocalOptions;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import dev.helios4j.local.internal.gguf.DemoModels;
import org.junit.jupiter.api.Test;

/**
 * Settings are checked before they reach native code. Each bad value below ended the JVM inside
 * llama.cpp b4916 or made it answer nothing without a word (seen in a child JVM, never here); now
 * it is an InvalidRequestException that names the key and what is accepted, and this same JVM then
 * answers on the demo model.
 */
class LocalSettingsTest {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private static final int MAX_THREADS = Math.min(512, 4 * CPUS);

    private static InvalidRequestException refused(String key, String value, String... words) {
        Settings settings = TestModels.settings().with(key, value);
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> Llm.open("demo", settings).close(), key + "=" + value);
        assertTrue(e.getMessage().contains("The setting " + key), e.getMessage());
        for (String w : words) {
            assertTrue(e.getMessage().contains(w), "no '" + w + "' in: " + e.getMessage());
        }
        try (LlmClient demo = TestModels.demo()) {
            assertEquals(DemoModels.CHAT_ANSWER, demo.chat("Hello"));
        }
        return e;
    }

    @Test
    void threadCountsAreBoundedBy4PerProcessor() {
        String range = "from 0 to " + MAX_THREADS;
        refused("llamacpp.threads-batch", "100000", range, "got '100000'", "libgomp");
        refused("llamacpp.threads", "100000", range);
        refused("llamacpp.threads", "-1", range);
        refused("llamacpp.threads", String.valueOf(MAX_THREADS + 1), range);
        refused("llamacpp.threads-batch", "many", range);
        assertEquals(MAX_THREADS, LocalOptions.from(TestModels.settings()
                .with("llamacpp.threads", String.valueOf(MAX_THREADS))).threads());
    }

    @Test
    void contextParallelAndGpuLayersHaveRanges() {
        refused("llamacpp.context-size", "-5", "from 0 to 1048576");
        refused("llamacpp.context-size", "2000000", "from 0 to 1048576");
        // The demo model was trained on 2,048 tokens.
        refused("llamacpp.context-size", "100000", "trained on 2048 tokens", "1 to 8192");
        refused("llamacpp.parallel", "0", "from 1 to 64");
        refused("llamacpp.parallel", "1000", "from 1 to 64");
        refused("llamacpp.gpu-layers", "-1", "of at least 0");
    }

    @Test
    void aTemplateThatRaisesWouldAbortAndIsRefused() {
        refused("llamacpp.chat-template", "{{ raise_exception('x') }}", "calls raise_exception",
                "the supplied chat template is not supported", "Accepted: a Jinja chat template");
    }

    @Test
    void aTemplateThatDoesNotParseWouldSilentlyBecomeChatMlAndIsRefused() {
        refused("llamacpp.chat-template", "{% for m in messages %}{{ m.content }}", "never closes its {% for %}",
                "use ChatML instead");
        refused("llamacpp.chat-template", "{{ 'ab' * 300000000 }}", "hangs the load");
    }

    @Test
    void anUnknownTemplateNameIsRefusedWithTheNamesB4916Knows() {
        refused("llamacpp.chat-template", "foo", "'foo'", "llama3, chatglm3");
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Llm.open("demo",
                TestModels.settings().with("llamacpp.chat-template", "foo").with("llamacpp.jinja", "false")));
        assertTrue(e.getMessage().contains("does not recognise without Jinja"), e.getMessage());
        // With Jinja on, b4916 sends the text itself as every prompt: every answer would be empty.
        e = assertThrows(InvalidRequestException.class, () -> Llm.open("demo",
                TestModels.settings().with("llamacpp.chat-template", "foo").with("llamacpp.jinja", "true")));
        assertTrue(e.getMessage().contains("as every prompt"), e.getMessage());
    }

    @Test
    void aNamedTemplateWithJinjaForcedOnIsRefused() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Llm.open("demo",
                TestModels.settings().with("llamacpp.chat-template", "llama3").with("llamacpp.jinja", "true")));
        assertTrue(e.getMessage().contains("llamacpp.jinja=false"), e.getMessage());
    }

    /** A built-in name turns Jinja off, where b4916 renders it: the demo answers a Llama 3 turn. */
    @Test
    void aBuiltInTemplateNameWorks() {
        LocalOptions options = LocalOptions.from(TestModels.settings().with("llamacpp.chat-template", "llama3"));
        assertFalse(options.jinja());
        try (LlmClient llm = Llm.open("demo", TestModels.settings().with("llamacpp.chat-template", "llama3"))) {
            assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hello"));
        }
        assertTrue(LocalOptions.from(TestModels.settings().with("llamacpp.chat-template", "{{ x }}")).jinja());
    }
}
