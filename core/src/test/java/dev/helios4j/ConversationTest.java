package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Conversations on the Acme test provider, loaded from its jar. */
class ConversationTest {

    @Test
    void remembersTurnsAndKeepsTheSystemMessageFirst() {
        try (LlmClient llm = AcmeConformanceTest.openAcme("x")) {
            Conversation c = llm.conversation("Be terse.");
            assertEquals("Hello! You said: Hi", c.send("Hi"));
            assertEquals("Hello! You said: And then?", c.send("And then?"));
            assertEquals(List.of(ChatMessage.system("Be terse."), ChatMessage.user("Hi"),
                    ChatMessage.assistant("Hello! You said: Hi"), ChatMessage.user("And then?"),
                    ChatMessage.assistant("Hello! You said: And then?")), c.messages());
            assertEquals(3 + 2 + 5 + 3, c.lastResponse().usage().promptTokens(), "the whole history was sent");
        }
    }

    @Test
    void windowByMessageCountDropsWholeOldestTurns() {
        try (LlmClient llm = AcmeConformanceTest.openAcme("x")) {
            Conversation c = llm.conversation("sys").keepLastMessages(3);
            c.send("one");
            c.send("two");
            c.send("three");
            assertEquals(2 + 2 + 5 + 2, c.lastResponse().usage().promptTokens(),
                    "sent: system, the turn 'two' (user + answer) and the question 'three'");
            // The history holds the window too, as the method's doc says: at most 3 besides the system message.
            assertEquals(List.of(ChatMessage.system("sys"), ChatMessage.user("three"),
                    ChatMessage.assistant("Hello! You said: three")), c.messages());
        }
    }

    @Test
    void settingAWindowTrimsTheHistoryAtOnceAndOneMessageKeepsNoTurn() {
        try (LlmClient llm = AcmeConformanceTest.openAcme("x")) {
            Conversation c = llm.conversation("sys");
            c.send("one");
            c.send("two");
            c.send("three");
            assertEquals(7, c.messages().size(), "no window: everything is kept");
            c.keepLastMessages(4);
            assertEquals(List.of(ChatMessage.system("sys"), ChatMessage.user("two"),
                    ChatMessage.assistant("Hello! You said: two"), ChatMessage.user("three"),
                    ChatMessage.assistant("Hello! You said: three")), c.messages());
            c.keepLastMessages(1);
            assertEquals(List.of(ChatMessage.system("sys")), c.messages(), "a turn is two messages");
            c.send("four");
            assertEquals(List.of(ChatMessage.system("sys")), c.messages());
            assertEquals(2 + 2, c.lastResponse().usage().promptTokens(), "sent: system and the question alone");
        }
    }

    @Test
    void aListenerThatThrowsAfterTextWasShownLeavesTheShownTextInTheHistory() {
        try (LlmClient llm = AcmeConformanceTest.openAcme("x")) {
            Conversation c = llm.conversation();
            c.send("Hi");
            IllegalStateException failure = new IllegalStateException("the display went away");
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> c.stream("Count please", piece -> {
                        if (piece.contains("three")) {
                            throw failure;
                        }
                    }));
            assertSame(failure, thrown, "the listener's exception propagates unchanged");
            assertEquals(List.of("user: Hi", "assistant: Hello! You said: Hi", "user: Count please",
                    "assistant: one two three"),
                    c.messages().stream().map(ChatMessage::toString).collect(Collectors.toList()));
            assertEquals("Hello! You said: Again", c.send("Again"), "the conversation goes on");
        }
    }

    @Test
    void windowByTokensUsesTheProvidersCount() {
        try (LlmClient llm = AcmeConformanceTest.openAcme("x")) {
            Conversation c = llm.conversation().keepTokens(12);
            c.send("alpha beta");       // 3 prompt tokens
            c.send("gamma");            // 3 + 6 + 2 = 11 tokens with the first turn
            c.send("delta");            // would be 11 + 5 + 2 = 18: the first turn is dropped
            assertTrue(c.lastResponse().usage().promptTokens() <= 12, "prompt " + c.lastResponse().usage());
            assertEquals(2 + 5 + 2, c.lastResponse().usage().promptTokens());
        }
    }

    @Test
    void fullContextFailsUnlessDroppingOldestTurnsIsAllowed() {
        try (LlmClient llm = AcmeConformanceTest.openAcme("ctx-20")) {
            Conversation strict = llm.conversation();
            strict.send("a b c d");
            strict.send("e f g h");
            ContextLengthExceededException e = assertThrows(ContextLengthExceededException.class, () -> strict.send("i j k l"));
            assertEquals(20, e.contextTokens());
            assertTrue(e.promptTokens() > 20);
            assertEquals(4, strict.messages().size(), "a failed turn leaves no trace");

            Conversation lenient = llm.conversation().dropOldestWhenFull(true);
            lenient.send("a b c d");
            lenient.send("e f g h");
            assertEquals("Hello! You said: i j k l", lenient.send("i j k l"));
            assertTrue(lenient.lastResponse().usage().promptTokens() <= 20);
        }
    }

    @Test
    void cancelledTurnKeepsTheQuestionAndThePartialAnswer() {
        try (LlmClient llm = AcmeConformanceTest.openAcme("x")) {
            Conversation c = llm.conversation();
            GenerationCancelledException e = assertThrows(GenerationCancelledException.class,
                    () -> c.stream("Count please", piece -> {
                        if (piece.contains("three")) {
                            Thread.currentThread().interrupt();
                        }
                    }));
            assertTrue(Thread.interrupted(), "the interrupt flag is set again");
            assertEquals("one two three", e.partialText());
            assertEquals(List.of("user: Count please", "assistant: one two three"),
                    c.messages().stream().map(ChatMessage::toString).collect(Collectors.toList()));
        }
    }

    @Test
    void configuredSettingsApplyToEveryTurn() {
        try (LlmClient llm = AcmeConformanceTest.openAcme("x")) {
            Conversation c = llm.conversation().configure(b -> b.maxTokens(2));
            assertEquals(FinishReason.LENGTH, c.stream("tell me", null).finishReason());
            assertEquals("Hello! You", c.lastResponse().text());
            assertThrows(InvalidRequestException.class, () -> c.configure(b -> b.temperature(3)));
        }
    }
}
