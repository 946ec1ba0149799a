package dev.helios4j.local.hf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks downloaded bytes against the blob's name. On the Hub an LFS file's ETag is the SHA-256
 * of its content, and a plain git file's is its git blob id: the SHA-1 of {@code "blob <size>\0"}
 * followed by the content. Any other ETag cannot be checked this way, and only the size is.
 */
final class ContentCheck {
    private final MessageDigest digest;
    private final String expected;
    private final String name;
    private final byte[] prefix;

    private ContentCheck(String algorithm, String name, String expected, byte[] prefix) {
        try {
            this.digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every JVM", e);
        }
        this.name = name;
        this.expected = expected;
        this.prefix = prefix;
        reset();
    }

    static Optional<ContentCheck> forEtag(String etag, long size) {
        String hex = etag.toLowerCase(Locale.ROOT);
        if (hex.matches("[0-9a-f]{64}")) {
            return Optional.of(new ContentCheck("SHA-256", "SHA-256", hex, new byte[0]));
        }
        if (hex.matches("[0-9a-f]{40}") && size >= 0) {
            byte[] header = ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII);
            return Optional.of(new ContentCheck("SHA-1", "git blob SHA-1", hex, header));
        }
        return Optional.empty();
    }

    /** Starts over, for a download that restarts from byte 0. */
    void reset() {
        digest.reset();
        digest.update(prefix);
    }

    /** Feeds the first {@code length} bytes already on disk, for a download that resumes. */
    void updateFrom(Path file, long length) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            long left = length;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    void update(byte[] bytes, int off, int len) {
        digest.update(bytes, off, len);
    }

    /** @return the digest of what was fed, in hex; ends this check */
    String actual() {
        return HexFormat.of().formatHex(digest.digest());
    }

    String expected() {
        return expected;
    }

    String name() {
        return name;
    }
}
