package dev.helios4j.local.hf;

import dev.helios4j.LlmException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Walks a Hugging Face cache and reports its GGUF files per repository and revision. Reads only:
 * it never follows a link out of a snapshot except to size the blob behind it, and skips what it
 * does not understand (dataset and space folders, broken links, foreign files) instead of failing.
 * A repository it cannot read (a ref file that is not UTF-8, a folder it may not open) is skipped
 * with a warning, so one broken entry never hides the others; a snapshot entry that leads outside
 * the cache is skipped the same way.
 */
final class CacheListing {
    private static final System.Logger LOG = System.getLogger(CacheListing.class.getName());
    private static final String MODELS = "models--";

    private CacheListing() {
    }

    static List<HfCachedFile> ggufFiles(Path root) {
        List<HfCachedFile> files = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try (Stream<Path> repos = Files.list(root)) {
            for (Path repoDir : (Iterable<Path>) repos.sorted()::iterator) {
                String name = repoDir.getFileName().toString();
                if (name.startsWith(MODELS) && Files.isDirectory(repoDir)) {
                    String repo = name.substring(MODELS.length()).replace("--", "/");
                    if (validRepo(repo)) {
                        List<HfCachedFile> found = new ArrayList<>();
                        try {
                            listRepo(repo, repoDir, root.toRealPath(), found);
                            files.addAll(found);
                        } catch (IOException | UncheckedIOException e) {
                            LOG.log(System.Logger.Level.WARNING, "Skipping {0} in the Hugging Face cache: {1} ({2}). Delete"
                                    + " or repair that folder; the other repositories are listed.", repoDir, e.getMessage(),
                                    e.getClass().getSimpleName());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new LlmException("Could not read the Hugging Face cache at " + root + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(HfCachedFile::repo)
                .thenComparing(f -> f.refs().isEmpty())
                .thenComparing(HfCachedFile::commit)
                .thenComparing(HfCachedFile::file));
        return files;
    }

    private static void listRepo(String repo, Path repoDir, Path realRoot, List<HfCachedFile> out) throws IOException {
        Map<String, List<String>> refsByCommit = refs(repoDir.resolve("refs"));
        Path snapshots = repoDir.resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return;
        }
        try (Stream<Path> commits = Files.list(snapshots)) {
            for (Path commitDir : (Iterable<Path>) commits.sorted()::iterator) {
                String commit = commitDir.getFileName().toString();
                if (!HfNames.isCommit(commit)) {
                    continue;
                }
                // walk() does not follow links, so each snapshot entry is seen as the link it is.
                try (Stream<Path> entries = Files.walk(commitDir)) {
                    for (Path entry : (Iterable<Path>) entries::iterator) {
                        String fileName = entry.getFileName().toString();
                        if (fileName.toLowerCase(Locale.ROOT).endsWith(".gguf") && Files.isRegularFile(entry)) {
                            Path blob = entry.toRealPath();
                            if (!blob.startsWith(realRoot)) {
                                LOG.log(System.Logger.Level.WARNING, "Skipping {0}: it leads to {1}, outside the Hugging"
                                        + " Face cache. Delete that entry.", entry, blob);
                                continue;
                            }
                            String file = commitDir.relativize(entry).toString().replace('\\', '/');
                            out.add(new HfCachedFile(repo, commit, refsByCommit.getOrDefault(commit, List.of()),
                                    file, entry, blob, Files.size(entry)));
                        }
                    }
                }
            }
        }
    }

    private static Map<String, List<String>> refs(Path refsDir) throws IOException {
        Map<String, List<String>> byCommit = new HashMap<>();
        if (!Files.isDirectory(refsDir)) {
            return byCommit;
        }
        try (Stream<Path> entries = Files.walk(refsDir)) {
            for (Path refFile : (Iterable<Path>) entries.filter(Files::isRegularFile).sorted()::iterator) {
                String commit = Files.readString(refFile, StandardCharsets.UTF_8).trim();
                if (HfNames.isCommit(commit)) {
                    String ref = refsDir.relativize(refFile).toString().replace('\\', '/');
                    byCommit.computeIfAbsent(commit, c -> new ArrayList<>()).add(ref);
                }
            }
        }
        // main first: it is the ref people mean when they give none.
        byCommit.values().forEach(list -> list.sort(Comparator.comparing((String r) -> !r.equals("main"))
                .thenComparing(Comparator.naturalOrder())));
        return byCommit;
    }

    private static boolean validRepo(String repo) {
        try {
            HfNames.requireRepo(repo);
            return true;
        } catch (LlmException e) {
            return false;
        }
    }
}
