package dev.helios4j.local.internal.engine;

import java.security.SecureRandom;
import java.time.Instant;

/** The id and creation time an answer carries, in llama-server's form ({@code chatcmpl-} and 32 letters). */
record ServedIds(String id, long created) {
    /** What llama-server puts in {@code system_fingerprint}: which engine and llama.cpp build answered. */
    static final String FINGERPRINT = "b4916-helios4j-java";
    private static final char[] LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    static ServedIds next() {
        char[] id = new char[32];
        for (int i = 0; i < id.length; i++) {
            id[i] = LETTERS[RANDOM.nextInt(LETTERS.length)];
        }
        return new ServedIds("chatcmpl-" + new String(id), Instant.now().getEpochSecond());
    }
}
