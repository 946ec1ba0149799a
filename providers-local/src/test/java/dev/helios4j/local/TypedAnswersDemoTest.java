package dev.helios4j.local;

import static dev.helios4j.testkit.ProviderConformanceKit.ADA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.ChatRequest;
import dev.helios4j.InvalidAnswerException;
import dev.helios4j.LlmClient;
import dev.helios4j.local.internal.gguf.DemoModels;
import dev.helios4j.testkit.ProviderConformanceKit.Person;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Typed answers on the demo model with its own ChatML template: the schema becomes a llama.cpp grammar. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TypedAnswersDemoTest {
    private LlmClient demo;

    record Weather(String city, int degrees) { }

    @BeforeAll
    void open() {
        demo = TestModels.demo();
    }

    @AfterAll
    void close() {
        demo.close();
    }

    @Test
    void theDemoModelAnswersItsDesignedPersonUnderTheGrammarAtDefaultSettings() {
        assertEquals(ADA, demo.chat("Who was Ada Lovelace?", Person.class));
        assertEquals(ADA, demo.chat(ChatRequest.builder().system("Be exact.").user("Tell me about her.").temperature(0.0)
                .build(), Person.class));
    }

    @Test
    void streamingShowsTheDesignedJsonPieceByPiece() {
        List<String> pieces = new ArrayList<>();
        assertEquals(ADA, demo.stream(ChatRequest.of("Who was Ada Lovelace?"), Person.class, pieces::add));
        assertEquals(DemoModels.TYPED_ANSWER, String.join("", pieces));
        assertEquals(9, pieces.size(), pieces.toString());
    }

    @Test
    void withoutAGrammarTheDemoModelStillGivesItsChatSentence() {
        assertEquals(DemoModels.CHAT_ANSWER, demo.chat("Who was Ada Lovelace?"));
    }

    @Test
    void aTypeTheDemoModelCannotAnswerFailsCarryingTheRawText() {
        InvalidAnswerException e = assertThrows(InvalidAnswerException.class, () -> demo.chat(
                ChatRequest.builder().user("Weather in Paris?").temperature(0.0).maxTokens(40).build(), Weather.class));
        assertTrue(e.rawText().startsWith("{"), e.rawText());
        assertTrue(e.getMessage().contains("Weather") && e.getMessage().contains("raise maxTokens"), e.getMessage());
    }
}
