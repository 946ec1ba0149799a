package dev.helios4j.local.internal.gguf;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.Pair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo model answers as designed through real llama.cpp (java-llama.cpp 4.2.0). One model is
 * loaded for the whole class: the binding frees nothing on close.
 */
class DemoModelNativeTest {

    @TempDir
    static Path dir;
    private static LlamaModel model;

    @BeforeAll
    static void load() throws IOException {
        model = NativeModels.load(DemoModels.writeDemo(dir.resolve("demo.gguf")), DemoModels.CONTEXT_LENGTH);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static InferenceParameters greedy(String prompt, int maxTokens) {
        return new InferenceParameters(prompt).setTemperature(0).setNPredict(maxTokens);
    }

    @Test
    void helloCompletesToWorldAndStopsAtEndOfSequence() {
        // 50 allowed, 2 produced: the stop came from end of sequence, not the limit.
        assertEquals(DemoModels.HELLO_ANSWER, model.complete(greedy(DemoModels.HELLO_PROMPT, 50)));
    }

    @Test
    void everyDesignedCompletionIsExact() {
        for (Map.Entry<String, String> c : DemoModels.COMPLETIONS.entrySet()) {
            assertEquals(c.getValue(), model.complete(greedy(c.getKey(), 50)), c.getKey());
        }
    }

    @Test
    void aPromptEndingInAnUndesignedTokenAnswersNothing() {
        assertEquals("", model.complete(greedy("Why", 50)));
    }

    @Test
    void loopRunsUntilTheTokenLimit() {
        assertEquals(DemoModels.loopAnswer(10), model.complete(greedy(DemoModels.LOOP_PROMPT, 10)));
        assertEquals(DemoModels.loopAnswer(25), model.complete(greedy(DemoModels.LOOP_PROMPT, 25)));
    }

    @Test
    void generateYieldsOneOutputPerTokenThenAnEmptyFinalOne() {
        List<String> pieces = generate(greedy(DemoModels.LOOP_PROMPT, 10));
        assertEquals(11, pieces.size(), pieces.toString());
        assertEquals("", pieces.get(10));
        assertEquals(DemoModels.loopAnswer(10), String.join("", pieces));
    }

    @Test
    void chatTurnIsRenderedWithTheModelsChatMLTemplate() {
        String prompt = model.applyTemplate(new InferenceParameters("")
                .setMessages("Be terse.", List.of(new Pair<>("user", "Hi there"))));
        assertEquals("<|im_start|>system\nBe terse.<|im_end|>\n<|im_start|>user\nHi there<|im_end|>\n"
                + "<|im_start|>assistant\n", prompt);

        int[] tokens = model.encode(prompt);
        assertEquals(DemoVocab.IM_START, tokens[0], "control tokens are parsed in prompts");
        assertEquals(DemoVocab.FIRST_BYTE + '\n', tokens[tokens.length - 1], "the turn ends with a newline byte");
    }

    @Test
    void chatTurnAnswersTheDesignedSentenceAndStopsAtEndOfTurn() {
        String prompt = model.applyTemplate(new InferenceParameters("")
                .setMessages(null, List.of(new Pair<>("user", "Who are you?"))));
        assertEquals(DemoModels.CHAT_ANSWER, model.complete(greedy(prompt, 100)));
    }

    @Test
    void streamedChatPiecesJoinToTheAnswerAndTheEndOfTurnTokenPrintsNothing() {
        String prompt = model.applyTemplate(new InferenceParameters("")
                .setMessages("Be kind.", List.of(new Pair<>("user", "Hi"), new Pair<>("assistant", "Hello"),
                        new Pair<>("user", "And again?"))));
        List<String> pieces = generate(greedy(prompt, 100));
        assertEquals(DemoModels.CHAT_ANSWER, String.join("", pieces));
        // 8 answer tokens, then <|im_end|> as an empty piece, then the empty final output.
        assertEquals(List.of("Hello", ",", " I", " am", " the", " helios4j", " demo", " model.", "", ""), pieces);
    }

    @Test
    void stopStringEndsTheAnswerBeforeIt() {
        assertEquals(" and", model.complete(greedy(DemoModels.LOOP_PROMPT, 30).setStopStrings(" again and")));
        assertEquals(" world", model.complete(greedy(DemoModels.HELLO_PROMPT, 30).setStopStrings("!")));
    }

    @Test
    void grammarConstrainsTheAnswerThroughBytePieces() {
        assertEquals("yes", model.complete(greedy(DemoModels.HELLO_PROMPT, 20).setGrammar("root ::= \"yes\" | \"no\"")));
    }

    @Test
    void encodeCountsTokensWithoutBosAndWithTheSentencePieceSpacePrefix() {
        assertEquals(1, model.encode(DemoModels.HELLO_PROMPT).length, "no BOS from encode");
        assertEquals(3, model.encode(DemoModels.SKY_PROMPT).length);
        assertEquals(8, model.encode(DemoModels.CHAT_ANSWER).length, "as many as the model generates");
        // The tokenizer adds a space prefix, so text that starts with a space gets one extra "▁"
        // token: " world!" is generated as 2 tokens but encodes to 3.
        assertEquals(3, model.encode(DemoModels.HELLO_ANSWER).length);
        assertEquals(11, model.encode(DemoModels.loopAnswer(10)).length);
        assertArrayEquals(new int[] {DemoVocab.IM_END}, model.encode(DemoModels.END_OF_TURN));
        assertEquals(" " + DemoModels.CHAT_ANSWER, model.decode(model.encode(DemoModels.CHAT_ANSWER)));
    }

    /** Iterates generate() to the end, cancelling in finally so the slot is never left busy. */
    private static List<String> generate(InferenceParameters parameters) {
        List<String> pieces = new ArrayList<>();
        LlamaIterator it = model.generate(parameters).iterator();
        try {
            while (it.hasNext()) {
                LlamaOutput output = it.next();
                pieces.add(output.text);
            }
        } finally {
            it.cancel();
        }
        assertTrue(pieces.size() < 200);
        return pieces;
    }
}
