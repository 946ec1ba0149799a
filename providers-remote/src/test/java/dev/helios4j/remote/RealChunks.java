package dev.helios4j.remote;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An answer streamed in the shape OpenAI's chat completions stream has today, byte for byte in its
 * fields: {@code id}, {@code object}, {@code created}, {@code model}, {@code service_tier},
 * {@code system_fingerprint}, one choice with {@code index}, {@code delta}, {@code logprobs:null},
 * {@code finish_reason}, {@code "usage":null} on every chunk when the request asked for usage, and
 * the {@code obfuscation} padding that evens out chunk sizes. A first chunk carries the role and
 * empty content, a last one the finish reason, then the usage chunk ({@code choices:[]}) when asked
 * for, then {@code [DONE]}. Content chunks average ~317 bytes with all those fields; one piece in
 * five is multi-byte text (accented Latin, CJK, emoji); some pieces need JSON escapes (a quote, a
 * line feed).
 *
 * <p>Deterministic: piece {@code i} is the same in every JVM, so a client can check the joined text
 * it received against {@link #text(int)}.
 */
final class RealChunks {
    private static final String[] ASCII = {" the", " model", " streams", " a", " token", " at", " time", ",", " and",
        " every", " chunk", " is", " parsed", ".", " We", " measure", " what", " it", " costs", " to", " read",
        " them", " all", " honestly", ":", " no", " shortcuts", " in", " JSON", " or", " SSE", "\n", " \"quoted\"",
        " 42", " per", " second", " of", " text"};
    private static final String[] MULTI_BYTE = {" café", " naïve", " über", " Straße", " façade", " 日本", "語",
        " 中文", "字", " 😀", " 🚀", " ñandú", " Zürich", " 東京"};
    private static final String ID = "chatcmpl-C4xRk9TqWv2LmZ8aPd3Yb7nHf1sJe";
    private static final String BASE62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int PROMPT_TOKENS = 17;

    private RealChunks() {
    }

    /** Piece {@code i} of every answer: a fixed pseudo-random walk, one multi-byte piece in five. */
    static String piece(int i) {
        int h = mix(i);
        return (h & 0xFFFF) % 5 == 0 ? MULTI_BYTE[(h >>> 16) % MULTI_BYTE.length] : ASCII[(h >>> 16) % ASCII.length];
    }

    /** The text an answer of {@code count} pieces joins to. */
    static String text(int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            b.append(piece(i));
        }
        return b.toString();
    }

    /**
     * The answer's events, each one {@code data: ...\n\n}, in order: the role chunk, {@code count}
     * content chunks, the finish chunk, the usage chunk if {@code usage}, and {@code [DONE]}.
     */
    static List<byte[]> events(int count, boolean usage) {
        List<byte[]> events = new ArrayList<>(count + 4);
        String tail = usage ? ",\"usage\":null" : "";
        events.add(event(chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null", tail, 0)));
        for (int i = 0; i < count; i++) {
            String p = piece(i);
            events.add(event(chunk("{\"content\":\"" + escape(p) + "\"}", "null", tail, i + 1)));
        }
        events.add(event(chunk("{}", "\"stop\"", tail, count + 1)));
        if (usage) {
            events.add(event(head() + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + PROMPT_TOKENS
                    + ",\"completion_tokens\":" + count + ",\"total_tokens\":" + (PROMPT_TOKENS + count)
                    + ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                    + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                    + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},\"obfuscation\":\""
                    + padding(count + 2, 4) + "\"}"));
        }
        events.add(event("[DONE]"));
        return events;
    }

    /** The whole body: {@link #events} back to back. */
    static byte[] body(int count, boolean usage) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(count * 270);
        for (byte[] e : events(count, usage)) {
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    static int promptTokens() {
        return PROMPT_TOKENS;
    }

    private static String head() {
        return "{\"id\":\"" + ID + "\",\"object\":\"chat.completion.chunk\",\"created\":1764583321,"
                + "\"model\":\"gpt-4o-mini\",\"service_tier\":\"default\","
                + "\"system_fingerprint\":\"fp_560af6e559\",";
    }

    private static String chunk(String delta, String finish, String tail, int n) {
        // The padding shrinks as the piece grows, as OpenAI's does, so that sizes say little about the text.
        int pieceBytes = delta.getBytes(StandardCharsets.UTF_8).length;
        return head() + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
                + finish + "}]" + tail + ",\"obfuscation\":\"" + padding(n, Math.max(1, 22 - pieceBytes)) + "\"}";
    }

    private static String padding(int n, int base) {
        int h = mix(n ^ 0x5bd1e995);
        int length = base + (h & 3);
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(BASE62.charAt(Math.floorMod((h >>> (i % 24)) + i * 31, BASE62.length())));
        }
        return b.toString();
    }

    private static byte[] event(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** A fixed integer hash (murmur3's finaliser): the same pieces in every JVM, no shared state. */
    private static int mix(int x) {
        x ^= x >>> 16;
        x *= 0x85ebca6b;
        x ^= x >>> 13;
        x *= 0xc2b2ae35;
        x ^= x >>> 16;
        return x & 0x7fffffff;
    }
}
