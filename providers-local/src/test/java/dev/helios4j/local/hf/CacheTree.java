package dev.helios4j.local.hf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a Hugging Face cache by hand, the way huggingface_hub lays it out: refs holding commits,
 * snapshots whose entries are relative symlinks into blobs, blobs named by ETag. Tests use it to
 * set up exactly the state they need, two revisions sharing a blob included.
 */
final class CacheTree {
    static final String OLD = "1111111111111111111111111111111111111111";
    static final String NEW = "2222222222222222222222222222222222222222";

    private final Path root;

    CacheTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    Path repoDir(String repo) {
        return root.resolve("models--" + repo.replace("/", "--"));
    }

    CacheTree ref(String repo, String name, String commit) throws IOException {
        Path file = repoDir(repo).resolve("refs").resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, commit, StandardCharsets.UTF_8);
        return this;
    }

    /** Writes the blob (unless it is there) and links snapshots/COMMIT/FILE to it, relatively. */
    Path file(String repo, String commit, String file, String etag, byte[] content) throws IOException {
        Path blob = repoDir(repo).resolve("blobs").resolve(etag);
        Files.createDirectories(blob.getParent());
        if (!Files.exists(blob)) {
            Files.write(blob, content);
        }
        Path pointer = repoDir(repo).resolve("snapshots").resolve(commit).resolve(file);
        Files.createDirectories(pointer.getParent());
        Files.createSymbolicLink(pointer, pointer.getParent().relativize(blob));
        return pointer;
    }

    /** A snapshot entry whose blob is gone, as an interrupted cleanup leaves it. */
    Path danglingFile(String repo, String commit, String file) throws IOException {
        Path pointer = repoDir(repo).resolve("snapshots").resolve(commit).resolve(file);
        Files.createDirectories(pointer.getParent());
        Files.createSymbolicLink(pointer, pointer.getParent().relativize(repoDir(repo).resolve("blobs/gone")));
        return pointer;
    }

    void noExist(String repo, String commit, String file) throws IOException {
        Path marker = repoDir(repo).resolve(".no_exist").resolve(commit).resolve(file);
        Files.createDirectories(marker.getParent());
        Files.createFile(marker);
    }

    /**
     * The standard tree: TheOrg/tiny-GGUF with v1.0 at the old commit and main at the new one;
     * tiny.Q4.gguf changed between them, tiny.Q8.gguf did not (one shared blob), and the new
     * commit adds a file in a subfolder and a README that is not GGUF.
     */
    static CacheTree standard(Path root) throws IOException {
        CacheTree tree = new CacheTree(root);
        String repo = "TheOrg/tiny-GGUF";
        tree.ref(repo, "main", NEW).ref(repo, "v1.0", OLD);
        tree.file(repo, OLD, "tiny.Q4.gguf", "a".repeat(64), bytes("old q4"));
        tree.file(repo, OLD, "tiny.Q8.gguf", "b".repeat(64), bytes("same q8 bytes"));
        tree.file(repo, NEW, "tiny.Q4.gguf", "c".repeat(64), bytes("new q4, longer"));
        tree.file(repo, NEW, "tiny.Q8.gguf", "b".repeat(64), bytes("same q8 bytes"));
        tree.file(repo, NEW, "split/tiny-00001-of-00002.gguf", "d".repeat(64), bytes("part one"));
        tree.file(repo, NEW, "README.md", "e".repeat(40), bytes("# tiny"));
        return tree;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
