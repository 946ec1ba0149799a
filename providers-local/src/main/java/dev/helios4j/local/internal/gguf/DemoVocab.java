package dev.helios4j.local.internal.gguf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A SentencePiece ("llama") vocabulary: {@code <unk>}, {@code <s>}, {@code </s>}, the 256 byte
 * pieces, the ChatML control tokens, then every prefix of every word piece.
 *
 * <p>Why prefixes: llama.cpp's SPM tokenizer starts from single characters and repeatedly merges
 * the adjacent pair whose concatenation is in the vocabulary, best score first. A word piece is
 * reachable only if a chain of merges leads to it, and "every prefix is a piece" is such a chain.
 * Longer pieces score higher so that the longest piece wins. Characters that end up in no piece
 * fall back to the byte pieces, so any text can be tokenized (and produced under a grammar).
 */
final class DemoVocab {
    /** SentencePiece's visible space, which the tokenizer substitutes for ' '. */
    static final String SPACE = "\u2581";

    static final int UNK = 0;
    static final int BOS = 1;
    static final int EOS = 2;
    static final int FIRST_BYTE = 3;
    static final int IM_START = FIRST_BYTE + 256;
    static final int IM_END = IM_START + 1;

    // llama.cpp's token types (llama_token_type in the GGUF tokenizer metadata)
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int BYTE = 6;

    private final List<String> pieces = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final Map<String, Integer> ids = new LinkedHashMap<>();

    /**
     * @param words word pieces (with {@link #SPACE} for a leading space), in a fixed order
     * @param size the vocabulary size to fill up to with generated letter pieces, or 0 for none
     */
    DemoVocab(List<String> words, int size) {
        add("<unk>", UNKNOWN);
        add("<s>", CONTROL);
        add("</s>", CONTROL);
        for (int b = 0; b < 256; b++) {
            add(String.format("<0x%02X>", b), BYTE);
        }
        add("<|im_start|>", CONTROL);
        add("<|im_end|>", CONTROL);
        for (String word : words) {
            addWithPrefixes(word);
        }
        if (size > 0) {
            fill(size);
        }
    }

    int size() {
        return pieces.size();
    }

    /** The id of a piece that must exist. */
    int id(String piece) {
        Integer id = ids.get(piece);
        if (id == null) {
            throw new IllegalArgumentException("no piece " + piece);
        }
        return id;
    }

    List<String> pieces() {
        return Collections.unmodifiableList(pieces);
    }

    int[] types() {
        return types.stream().mapToInt(Integer::intValue).toArray();
    }

    float[] scores() {
        float[] scores = new float[pieces.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = types.get(i) == NORMAL ? pieces.get(i).codePointCount(0, pieces.get(i).length()) : 0f;
        }
        return scores;
    }

    private void addWithPrefixes(String word) {
        for (int end = word.offsetByCodePoints(0, 1); end <= word.length();
                end = end == word.length() ? end + 1 : word.offsetByCodePoints(end, 1)) {
            String prefix = word.substring(0, end);
            if (!ids.containsKey(prefix)) {
                add(prefix, NORMAL);
            }
        }
    }

    /** Pads with letter pieces ("▁ab", "ab", "▁abc", ...) so a benchmark model has a real vocab size. */
    private void fill(int size) {
        if (size < pieces.size()) {
            throw new IllegalArgumentException("vocabulary size " + size + " is below the " + pieces.size()
                    + " pieces the demo vocabulary needs");
        }
        for (int length = 1; pieces.size() < size; length++) {
            int combinations = (int) Math.pow(26, length);
            for (int c = 0; c < combinations && pieces.size() < size; c++) {
                char[] letters = new char[length];
                for (int i = length - 1, rest = c; i >= 0; i--, rest /= 26) {
                    letters[i] = (char) ('a' + rest % 26);
                }
                String plain = new String(letters);
                for (String piece : List.of(SPACE + plain, plain)) {
                    if (pieces.size() < size && !ids.containsKey(piece)) {
                        add(piece, NORMAL);
                    }
                }
            }
        }
    }

    private void add(String piece, int type) {
        ids.put(piece, pieces.size());
        pieces.add(piece);
        types.add(type);
    }
}
