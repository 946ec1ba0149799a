package dev.helios4j.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.local.internal.LoadedModel;
import dev.helios4j.local.internal.ModelSource;
import dev.helios4j.local.internal.SharedModels;
import dev.helios4j.local.internal.LocalOptions;
import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.ContextLengthExceededException;
import dev.helios4j.Conversation;
import dev.helios4j.FinishReason;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.ResponseFormat;
import dev.helios4j.Llm;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.local.internal.gguf.GgufHeader;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real llama.cpp through the binding, on the demo model the project generates. */
class LlamaCppProviderTest {
    private static LlmClient chat;
    private static LlmClient raw;

    @BeforeAll
    static void open() {
        chat = TestModels.demo();
        raw = TestModels.demoRaw();
    }

    @AfterAll
    static void close() {
        chat.close();
        raw.close();
    }

    @Test
    void demoModelAnswersChatTurnsAsDesigned() {
        assertEquals(DemoModels.CHAT_ANSWER, chat.chat("Hello"));
        ChatResponse r = chat.chat(ChatRequest.builder().system("Be terse.").user("Why is the sky blue?").temperature(0).build());
        assertEquals(DemoModels.CHAT_ANSWER, r.text());
        assertEquals(FinishReason.STOP, r.finishReason());
        assertEquals("demo", r.model());
    }

    @Test
    void demoModelCompletesItsDesignedPrompts() {
        for (var e : DemoModels.COMPLETIONS.entrySet()) {
            assertEquals(e.getValue(), raw.chat(ChatRequest.builder().user(e.getKey()).temperature(0).build()).text(), e.getKey());
        }
    }

    @Test
    void tokenLimitEndsWithLengthAndExactCount() {
        ChatResponse r = raw.chat(ChatRequest.builder().user(DemoModels.LOOP_PROMPT).temperature(0).maxTokens(7).build());
        assertEquals(FinishReason.LENGTH, r.finishReason());
        assertEquals(DemoModels.loopAnswer(7), r.text());
        assertEquals(7, r.usage().completionTokens());
        assertTrue(r.timings().tokensPerSecond() > 0, "tokens per second: " + r.timings());
    }

    @Test
    void stopStringEndsTheAnswerBeforeIt() {
        List<String> pieces = new ArrayList<>();
        ChatResponse r = raw.stream(ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0).stop("!").build(), pieces::add);
        assertEquals(" world", r.text());
        assertEquals(FinishReason.STOP_SEQUENCE, r.finishReason());
        assertEquals(" world", String.join("", pieces));
    }

    @Test
    void usageCountsAreTheEncodeLengths() {
        LoadedModel model = loaded();
        String prompt = DemoModels.HELLO_PROMPT;
        ChatResponse r = raw.chat(ChatRequest.builder().user(prompt).temperature(0).build());
        assertEquals(model.promptTokens(prompt), r.usage().promptTokens());
        assertEquals(model.llama.encode(prompt + r.text()).length - model.llama.encode(prompt).length, r.usage().completionTokens());
        assertTrue(r.usage().completionTokens() > 0);
        assertNotNull(r.timings().timeToFirstToken());
    }

    @Test
    void streamedAndBlockingAnswersAgreeForEverySetting() {
        ChatRequest request = ChatRequest.builder().user(DemoModels.LOOP_PROMPT).temperature(0.7).seed(7).topK(5).topP(0.9)
                .minP(0.05).repeatPenalty(1.1).maxTokens(12).stop("again and again and again").build();
        ChatResponse blocking = raw.chat(request);
        StringBuilder streamed = new StringBuilder();
        ChatResponse stream = raw.stream(request, streamed::append);
        assertEquals(blocking.text(), stream.text());
        assertEquals(blocking.text(), streamed.toString());
        assertEquals(blocking.finishReason(), stream.finishReason());
    }

    @Test
    void jsonObjectFormatConstrainsTheAnswerWithAGrammar() {
        ChatResponse r = raw.chat(ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0).maxTokens(64)
                .responseFormat(ResponseFormat.jsonObject()).build());
        // Unconstrained, the demo model answers " world!"; the grammar forces an object's opening.
        // (Its bigram table then fills a key for ever, so only the start is checked here; the
        // schema test below checks a whole object.)
        assertTrue(r.text().strip().startsWith("{"), r.text());
    }

    @Test
    void jsonSchemaFormatConstrainsTheAnswer() {
        String schema = "{\"type\":\"object\",\"properties\":{\"ok\":{\"type\":\"boolean\"}},\"required\":[\"ok\"]}";
        ChatResponse r = raw.chat(ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0).maxTokens(64)
                .responseFormat(ResponseFormat.jsonSchema("flag", schema)).build());
        String compact = r.text().replaceAll("\\s", "");
        assertTrue(compact.equals("{\"ok\":true}") || compact.equals("{\"ok\":false}"), r.text());
    }

    @Test
    void promptLongerThanTheContextNamesBothNumbers() {
        ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class,
                () -> raw.chat("Hello " .repeat(5000)));
        assertEquals(DemoModels.CONTEXT_LENGTH, e.contextTokens());
        assertTrue(e.promptTokens() > DemoModels.CONTEXT_LENGTH);
        assertTrue(e.getMessage().contains(String.valueOf(e.promptTokens())) && e.getMessage().contains("2048"), e.getMessage());
    }

    @Test
    void conversationCanDropOldestTurnsWhenTheContextIsFull() {
        Conversation c = chat.conversation().dropOldestWhenFull(true);
        String longTurn = "Hello ".repeat(600);
        for (int i = 0; i < 4; i++) {
            assertEquals(DemoModels.CHAT_ANSWER, c.send(longTurn));
        }
        assertTrue(c.lastResponse().usage().promptTokens() < DemoModels.CONTEXT_LENGTH);
    }

    @Test
    void aModelFileWithoutATemplateIsPromptedWithChatMl(@TempDir Path dir) throws Exception {
        Path bare = DemoModels.writeDemo(dir.resolve("no-template.gguf"), null);
        assertTrue(GgufHeader.read(bare).chatTemplate().isEmpty());
        try (LlmClient llm = Llm.open("llamacpp:" + bare, TestModels.settings())) {
            // ChatML ends the prompt with "<|im_start|>assistant\n", after which the demo model's
            // bigram table gives its chat sentence; any other rendering would not.
            assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hello"));
            assertEquals(chat.countTokens(List.of(ChatMessage.user("Hello"))), llm.countTokens(List.of(ChatMessage.user("Hello"))),
                    "the same prompt as the file whose template is ChatML");
        }
    }

    @Test
    void aConfiguredTemplateOverridesTheFilesOwn() {
        // RAW_TEMPLATE passes the message through, so the demo model completes it instead of chatting.
        assertEquals(DemoModels.HELLO_ANSWER, raw.chat(ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0).build()).text());
        assertEquals(1 + 1, raw.countTokens(List.of(ChatMessage.user(DemoModels.HELLO_PROMPT))).getAsInt(), "BOS and 'Hello'");
    }

    @Test
    void toolMessagesAreRenderedByTheTemplate() {
        ChatResponse r = chat.chat(ChatRequest.builder().user("What is 6 x 7?")
                .message(ChatMessage.assistant("", List.of(new dev.helios4j.ToolCall("c1", "multiply", "{\"a\":6,\"b\":7}"))))
                .message(ChatMessage.toolResult("c1", "42")).build());
        assertEquals(DemoModels.CHAT_ANSWER, r.text());
        List<ChatMessage> withResult = List.of(ChatMessage.user("x"), ChatMessage.toolResult("c1", "42"));
        assertTrue(chat.countTokens(withResult).getAsInt() > chat.countTokens(List.of(ChatMessage.user("x"))).getAsInt(),
                "the tool result is part of the rendered prompt");
    }

    @Test
    void toolsOfferedToTheLocalModelAreRefusedClearly() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> chat.chat(ChatRequest.builder().user("x")
                .tool(dev.helios4j.Tool.of("now", "the time")).build()));
        assertTrue(e.getMessage().contains("openai:MODEL"), e.getMessage());
    }

    @Test
    void eightThreadsCallingAtOnceAreAllAnswered() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                boolean even = i % 2 == 0;
                answers.add(pool.submit(() -> even ? chat.chat("Hello")
                        : raw.stream(ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0).build(), p -> { }).text()));
            }
            for (int i = 0; i < 8; i++) {
                assertEquals(i % 2 == 0 ? DemoModels.CHAT_ANSWER : DemoModels.HELLO_ANSWER, answers.get(i).get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRequestWaitingForTheSlotIsCancelledByAnInterrupt() throws Exception {
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> raw.stream(ChatRequest.builder().user(DemoModels.LOOP_PROMPT).temperature(0)
                .maxTokens(20).build(), piece -> {
                    holding.countDown();
                    try {
                        release.await(); // keeps the one slot busy
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }), "slot-holder");
        holder.start();
        assertTrue(holding.await(30, TimeUnit.SECONDS));

        java.util.concurrent.atomic.AtomicReference<Throwable> outcome = new java.util.concurrent.atomic.AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                raw.chat(ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0).build());
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "slot-waiter");
        waiter.start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertEquals(Thread.State.WAITING, waiter.getState(), "the second request waits for the slot");
        waiter.interrupt();
        waiter.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(waiter.isAlive(), "the waiting request ended without the slot coming free");
        assertTrue(outcome.get() instanceof dev.helios4j.GenerationCancelledException, String.valueOf(outcome.get()));

        release.countDown();
        holder.join(TimeUnit.SECONDS.toMillis(30));
        assertEquals(DemoModels.HELLO_ANSWER,
                raw.chat(ChatRequest.builder().user(DemoModels.HELLO_PROMPT).temperature(0).build()).text());
    }

    @Test
    void closedClientFailsClearlyInsteadOfHanging() {
        LlmClient extra = TestModels.demo();
        extra.close();
        LlmException e = assertThrows(LlmException.class, () -> extra.chat("Hello"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertFalse(chat.chat("Hello").isEmpty(), "other clients of the shared model still work");
    }

    private static LoadedModel loaded() {
        var demo = ModelSource.demo(TestModels.settings().get("cache-dir").map(Path::of).orElseThrow());
        return SharedModels.acquire(demo.file(), "demo", demo,
                LocalOptions.from(TestModels.settings().with("llamacpp.chat-template", TestModels.RAW_TEMPLATE)));
    }
}
