package dev.helios4j.local.hf;

import dev.helios4j.internal.Format;
import java.nio.file.Path;
import java.util.List;

/**
 * A file the Hugging Face cache holds, as {@link HfModels#list()} reports it.
 *
 * @param repo the repository id, {@code ORG/REPO}
 * @param commit the commit hash of the snapshot that holds the file
 * @param refs the branches and tags that point at that commit (empty when none does any more)
 * @param file the path of the file inside the repository
 * @param path the file in {@code snapshots/}, under its own name (what a model loader should
 *     open, so that split GGUF files find their siblings)
 * @param blob the content in {@code blobs/} that {@code path} links to (the same as {@code path}
 *     where the cache holds copies instead of links)
 * @param size the size in bytes
 */
public record HfCachedFile(String repo, String commit, List<String> refs, String file, Path path, Path blob,
        long size) {

    public HfCachedFile {
        refs = List.copyOf(refs);
    }

    /** @return a reference to this file, by its first ref when it has one, else by its commit */
    public HfModelRef ref() {
        return new HfModelRef(repo, file, refs.isEmpty() ? commit : refs.get(0));
    }

    @Override
    public String toString() {
        String revision = refs.isEmpty() ? commit.substring(0, 12) : String.join(",", refs) + " (" + commit.substring(0, 7) + ")";
        return repo + "/" + file + "  @" + revision + "  " + Format.bytes(size);
    }
}
