package dev.helios4j.local.hf;

import java.net.URI;

/**
 * What a HEAD on the Hub's resolve endpoint says about one file: the commit the revision points
 * at ({@code X-Repo-Commit}), the blob's name ({@code X-Linked-Etag} for LFS files, else
 * {@code ETag}), its size ({@code X-Linked-Size}, else {@code Content-Length}; -1 when neither
 * was sent) and where its bytes are (the redirect target for LFS files).
 */
record HubFileInfo(String commit, String etag, long size, URI location) {
}
