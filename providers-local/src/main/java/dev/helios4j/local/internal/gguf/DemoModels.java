package dev.helios4j.local.internal.gguf;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Tiny GGUF models that helios4j writes itself, because tests and the {@code demo} alias must work
 * offline.
 *
 * <p><b>How the demo model answers on purpose.</b> It is a one-layer {@code llama} model whose
 * width equals its vocabulary size (rounded up). Token embeddings are one-hot and the
 * attention-output and FFN-down matrices are zero, so the residual stream that reaches the output
 * is the current token's one-hot vector. {@code output.weight} then acts as a bigram table:
 * the next token depends only on the last one, and greedy decoding follows the designed chains:
 * <ul>
 *   <li>{@value #HELLO_PROMPT} &rarr; {@value #HELLO_ANSWER}, then end of sequence;</li>
 *   <li>{@value #SKY_PROMPT} &rarr; {@value #SKY_ANSWER}, then end of sequence;</li>
 *   <li>{@value #LOOP_PROMPT} &rarr; {@code " and again and again ..."}, never ending by itself
 *       (for token limits and cancellation), see {@link #loopAnswer(int)};</li>
 *   <li>a ChatML chat turn, rendered with its {@link #CHAT_TEMPLATE}, &rarr; {@value #CHAT_ANSWER},
 *       then {@value #END_OF_TURN}, which ends generation;</li>
 *   <li>a chat turn whose answer a grammar keeps from starting with "Hello" (a JSON-schema response
 *       format, as typed answers send) &rarr; {@link #TYPED_ANSWER}, if the grammar allows it: the
 *       turn's last token has that JSON's first piece as its second choice, and the JSON's pieces
 *       each exist once, so they follow each other as the other chains do.</li>
 * </ul>
 * Because only the last token counts, every prompt ending in " is" answers " blue.", and every
 * prompt ending in a newline (as a rendered chat turn does) answers the chat sentence, whatever
 * the user said. Any other last token is followed by end of sequence: an empty answer.
 *
 * <p>Files are written to a temporary name and renamed, so a reader never sees half a model, and
 * the demo model's bytes are the same on every run.
 */
public final class DemoModels {
    /** {@code general.name} of the demo model. */
    public static final String MODEL_NAME = "helios4j-demo";
    /** The trained context length written into both kinds of model, unless a shape says otherwise. */
    public static final int CONTEXT_LENGTH = 2048;

    /** A completion prompt; see {@link #HELLO_ANSWER}. */
    public static final String HELLO_PROMPT = "Hello";
    /** What greedy completion of {@link #HELLO_PROMPT} gives before end of sequence (2 tokens). */
    public static final String HELLO_ANSWER = " world!";
    /** A completion prompt; see {@link #SKY_ANSWER}. */
    public static final String SKY_PROMPT = "The sky is";
    /** What greedy completion of {@link #SKY_PROMPT} gives before end of sequence (1 token). */
    public static final String SKY_ANSWER = " blue.";
    /** A completion prompt that never ends: one token {@code " and"}, one {@code " again"}, ... */
    public static final String LOOP_PROMPT = "Loop";
    /** The chat model's answer to any chat turn rendered with {@link #CHAT_TEMPLATE} (8 tokens). */
    public static final String CHAT_ANSWER = "Hello, I am the helios4j demo model.";
    /** The control token that ends a ChatML turn; generation stops at it and it is not printed. */
    public static final String END_OF_TURN = "<|im_end|>";
    /** The ChatML Jinja template stored as {@code tokenizer.chat_template}. */
    public static final String CHAT_TEMPLATE = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
    /**
     * The chat model's answer, in 9 tokens, when a grammar rules out {@link #CHAT_ANSWER} but
     * allows this: a person record, as the conformance kit's typed-answer example
     * ({@code Person(String name, int born, Field field, City city, List<String> languages)}) has it.
     */
    public static final String TYPED_ANSWER = "{\"name\":\"Ada Lovelace\",\"born\":1815,\"field\":\"MATHEMATICS\","
            + "\"city\":{\"name\":\"London\",\"country\":\"United Kingdom\"},\"languages\":[\"English\",\"French\"]}";
    /** The designed completions, prompt to answer, each ending with end of sequence; in this order. */
    public static final Map<String, String> COMPLETIONS = ordered(HELLO_PROMPT, HELLO_ANSWER, SKY_PROMPT, SKY_ANSWER);

    private static final String S = DemoVocab.SPACE;
    /**
     * The bigram chains: the first piece is the trigger (a prompt's last token), each next piece
     * the one greedy decoding picks. A chain ends with an end-of-generation token or loops back.
     */
    private static final List<List<String>> CHAINS = List.of(
            List.of(S + "Hello", S + "world", "!", "</s>"),
            List.of(S + "is", S + "blue.", "</s>"),
            List.of(S + "Loop", S + "and", S + "again", S + "and"),
            List.of("<0x0A>", "Hello", ",", S + "I", S + "am", S + "the", S + "helios4j", S + "demo", S + "model.",
                    "<|im_end|>"),
            typedChain());
    /** Second choices: the successor greedy decoding picks when a grammar forbids the first. */
    private static final Map<String, String> SECOND_CHOICES = Map.of("<0x0A>", typedChain().get(0));
    /** Pieces that only make prompts tokenize into few, readable tokens. */
    private static final List<String> PROMPT_WORDS = List.of(S + "The", S + "sky", S + "user", S + "assistant",
            S + "system");

    private static final int HEAD_SIZE = 64;
    private static final float WEIGHT_STDDEV = 0.02f;

    private DemoModels() {
    }

    /**
     * The shape of a random-weight model for throughput benchmarks: it computes what a real model
     * of that shape computes, but answers nonsense.
     *
     * @param vocabSize tokens; at least the demo vocabulary (a few hundred)
     * @param width the embedding width
     * @param layers transformer blocks
     * @param heads attention heads; must divide {@code width} into heads of even size
     * @param ffn the feed-forward width
     * @param contextLength the trained context length written in the file
     * @param seed the seed of the N(0, 0.02) weights; the same shape and seed give the same bytes
     */
    public record RandomShape(int vocabSize, int width, int layers, int heads, int ffn, int contextLength,
                              long seed) {
        /** Validates the sizes. */
        public RandomShape {
            new LlamaFile.Shape(vocabSize, width, layers, heads, heads, ffn, contextLength);
        }

        /**
         * A llama-shaped model of 134M parameters, 269 MB in F16: vocabulary 32,000, width 768,
         * 12 layers, 12 heads, FFN 2,048, context 2,048.
         */
        public static RandomShape benchmark() {
            return new RandomShape(32_000, 768, 12, 12, 2048, CONTEXT_LENGTH, 42);
        }
    }

    /**
     * Writes the demo model (about 2.4 MB) to {@code file}, atomically, creating parent folders.
     *
     * @return {@code file}
     * @throws IOException when the file cannot be written; no partial file is left behind
     */
    public static Path writeDemo(Path file) throws IOException {
        return writeDemo(file, CHAT_TEMPLATE);
    }

    /**
     * Writes the demo model with another chat template, or none: to see what a runtime does with a
     * model file that brings no template of its own.
     *
     * @param chatTemplate the {@code tokenizer.chat_template} to store, or null to store none
     * @return {@code file}
     * @throws IOException when the file cannot be written; no partial file is left behind
     */
    public static Path writeDemo(Path file, String chatTemplate) throws IOException {
        return writeDemo(file, chatTemplate, w -> { });
    }

    /**
     * Writes the demo model with its metadata edited: {@code edit} may {@link GgufWriter#remove}
     * keys and put them again with other values. Tests use it to write the structurally valid but
     * harmful files that helios4j must refuse before llama.cpp sees them.
     *
     * @param edit changes the metadata, after the demo model's keys and tensors are declared
     * @return {@code file}
     * @throws IOException when the file cannot be written; no partial file is left behind
     */
    public static Path writeEditedDemo(Path file, Consumer<GgufWriter> edit) throws IOException {
        return writeDemo(file, CHAT_TEMPLATE, edit);
    }

    private static Path writeDemo(Path file, String chatTemplate, Consumer<GgufWriter> edit) throws IOException {
        DemoVocab vocab = new DemoVocab(demoWords(), 0);
        int[] next = designedNext(vocab);
        int[] second = secondChoices(vocab);
        int width = (vocab.size() + HEAD_SIZE - 1) / HEAD_SIZE * HEAD_SIZE;
        LlamaFile.Shape shape = new LlamaFile.Shape(vocab.size(), width, 1, width / HEAD_SIZE, 1, HEAD_SIZE,
                CONTEXT_LENGTH);
        LlamaFile.Weights weights = (tensor, cols, rows) -> {
            switch (tensor) {
                case "token_embd.weight":
                    return LlamaFile.byRow(cols, rows, (token, row) -> row[token] = 1f);
                case "output.weight":
                    return LlamaFile.byRow(cols, rows, (candidate, row) -> bigramRow(next, second, candidate, row));
                default:
                    return LlamaFile.zeros(cols, rows);
            }
        };
        GgufWriter writer = LlamaFile.writer(MODEL_NAME, shape, vocab, chatTemplate, weights);
        edit.accept(writer);
        return writeAtomically(file, writer);
    }

    /**
     * Writes a random-weight model of {@link RandomShape#benchmark()}'s shape (269 MB).
     *
     * @see #writeRandom(Path, RandomShape)
     */
    public static Path writeRandom(Path file) throws IOException {
        return writeRandom(file, RandomShape.benchmark());
    }

    /**
     * Writes a random-weight {@code llama} model: F16 matrices drawn from N(0, 0.02), norms of one,
     * the demo vocabulary padded with letter pieces to {@code vocabSize}, and the ChatML template.
     * Data is streamed: memory use does not grow with the model.
     *
     * @return {@code file}
     * @throws IOException when the file cannot be written; no partial file is left behind
     */
    public static Path writeRandom(Path file, RandomShape shape) throws IOException {
        DemoVocab vocab = new DemoVocab(demoWords(), shape.vocabSize());
        LlamaFile.Shape s = new LlamaFile.Shape(shape.vocabSize(), shape.width(), shape.layers(), shape.heads(),
                shape.heads(), shape.ffn(), shape.contextLength());
        LlamaFile.Weights weights = (tensor, cols, rows) -> out -> {
            // One stream per tensor, seeded by its name, so each tensor's values do not depend on
            // the others' sizes.
            SplittableRandom random = new SplittableRandom(shape.seed() * 1_000_003L + tensor.hashCode());
            for (long i = 0, n = cols * rows; i < n; i++) {
                out.put((float) random.nextGaussian() * WEIGHT_STDDEV);
            }
        };
        String name = "helios4j-random-" + shape.width() + "x" + shape.layers();
        return writeAtomically(file, LlamaFile.writer(name, s, vocab, CHAT_TEMPLATE, weights));
    }

    /**
     * The text greedy completion of {@link #LOOP_PROMPT} gives in {@code tokens} tokens:
     * {@code " and again and"} for 3.
     */
    public static String loopAnswer(int tokens) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            sb.append(i % 2 == 0 ? " and" : " again");
        }
        return sb.toString();
    }

    /** {@link #TYPED_ANSWER} in pieces that occur nowhere else, each with one successor, then end of turn. */
    private static List<String> typedChain() {
        return List.of("{\"name\":\"Ada", S + "Lovelace\",\"born\":", "1815,\"field\":\"", "MATHEMATICS\",\"city\":",
                "{\"name\":\"London\",", "\"country\":\"United", S + "Kingdom\"},", "\"languages\":[\"English\",",
                "\"French\"]}", "<|im_end|>");
    }

    private static Map<String, String> ordered(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    private static List<String> demoWords() {
        LinkedHashSet<String> words = new LinkedHashSet<>();
        for (List<String> chain : CHAINS) {
            for (String piece : chain) {
                if (!piece.startsWith("<")) {
                    words.add(piece);
                }
            }
        }
        words.addAll(PROMPT_WORDS);
        return new ArrayList<>(words);
    }

    /** For each token, the designed next token, or -1 for "end of sequence". */
    private static int[] designedNext(DemoVocab vocab) {
        int[] next = new int[vocab.size()];
        Arrays.fill(next, -1);
        for (List<String> chain : CHAINS) {
            for (int i = 0; i + 1 < chain.size(); i++) {
                int from = vocab.id(chain.get(i));
                int to = vocab.id(chain.get(i + 1));
                if (next[from] != -1 && next[from] != to) {
                    // A bigram model cannot follow one token two ways: the design is inconsistent.
                    throw new IllegalStateException("demo design gives '" + chain.get(i) + "' two successors");
                }
                next[from] = to;
            }
        }
        return next;
    }

    /** For each token, the successor when a grammar forbids the designed one, or -1 for none. */
    private static int[] secondChoices(DemoVocab vocab) {
        int[] second = new int[vocab.size()];
        Arrays.fill(second, -1);
        SECOND_CHOICES.forEach((from, to) -> second[vocab.id(from)] = vocab.id(to));
        return second;
    }

    /**
     * Row {@code candidate} of the output matrix: column t holds the logit (before the norm's
     * scale) of {@code candidate} following token t. The designed successor gets 1, the second
     * choice 0.75, end of sequence 0.5 as the fallback, everything else 0.
     */
    private static void bigramRow(int[] next, int[] second, int candidate, float[] row) {
        for (int t = 0; t < next.length; t++) {
            if (next[t] == candidate) {
                row[t] = 1f;
            } else if (second[t] == candidate) {
                row[t] = 0.75f;
            } else if (candidate == DemoVocab.EOS) {
                row[t] = 0.5f;
            }
        }
    }

    private static Path writeAtomically(Path file, GgufWriter writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, target.getFileName() + ".", ".part");
        try {
            writer.write(temp);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
