package dev.helios4j.local.hf;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * The Hugging Face cache layout, read and written the way every tool sharing it expects:
 * {@code models--ORG--REPO/refs/REVISION} holds a commit, {@code snapshots/COMMIT/FILE} links to
 * {@code blobs/ETAG}, {@code .no_exist/COMMIT/FILE} marks a file the Hub said is missing, and
 * {@code .locks/models--ORG--REPO/ETAG.lock} guards a blob being written.
 *
 * <p>Every path is built from names {@link HfNames} has checked, and checked again to stay
 * inside its folder; and a file found in the cache is followed through its links and refused
 * when it leads outside the cache, so nothing here can reach outside it.
 */
final class HfCache {
    private final Path root;

    HfCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path repoDir(HfModelRef ref) {
        return inside(root, root.resolve(ref.cacheFolderName()));
    }

    /** @return the commit a revision names: itself when it is a hash, else the content of its ref file */
    Optional<String> commitOf(HfModelRef ref) {
        if (ref.pinnedToCommit()) {
            return Optional.of(ref.revision());
        }
        Path refFile = inside(repoDir(ref).resolve("refs"), repoDir(ref).resolve("refs").resolve(ref.revision()));
        try {
            if (!Files.isRegularFile(refFile)) {
                return Optional.empty();
            }
            String commit = Files.readString(refFile, StandardCharsets.UTF_8).trim();
            // A ref file that does not hold a hash is broken; treat it as absent so a download rewrites it.
            return HfNames.isCommit(commit) ? Optional.of(commit) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The cached file for a reference, when its ref (if any) and its snapshot link both lead to content.
     *
     * @throws LlmException when the snapshot entry leads outside the cache
     */
    Optional<Path> locate(HfModelRef ref) {
        Optional<Path> found = commitOf(ref).map(commit -> snapshotPath(ref, commit)).filter(Files::isRegularFile);
        found.ifPresent(p -> requireInside(root, p, "The cache entry " + p + " for " + ref));
        return found;
    }

    /**
     * Refuses a file that, its links followed, lies outside the cache: a link planted in a
     * snapshot, or a path a CLI printed, must not hand an arbitrary file to the model loader.
     *
     * @param what how the message starts, naming where the path came from
     * @throws LlmException when the file lies outside {@code root}
     */
    static void requireInside(Path root, Path file, String what) {
        Path realRoot;
        Path realFile;
        try {
            realRoot = root.toRealPath();
            realFile = file.toRealPath();
        } catch (IOException e) {
            throw new LlmException(what + " cannot be followed to a file (" + e.getMessage() + "). Delete the entry"
                    + " and fetch the model again.", e);
        }
        if (!realFile.startsWith(realRoot)) {
            throw new LlmException(what + " leads to " + realFile + ", outside the Hugging Face cache at " + realRoot
                    + "; it was refused. Delete that entry (or fix the link) and fetch the model again.");
        }
    }

    /** @return whether the Hub already said, for this exact commit, that the file does not exist */
    boolean knownMissing(HfModelRef ref) {
        return commitOf(ref)
                .map(commit -> inside(repoDir(ref), repoDir(ref).resolve(".no_exist").resolve(commit).resolve(ref.file())))
                .filter(Files::exists)
                .isPresent();
    }

    Path snapshotPath(HfModelRef ref, String commit) {
        Path snapshots = repoDir(ref).resolve("snapshots");
        return inside(snapshots, snapshots.resolve(commit).resolve(ref.file()));
    }

    Path blobPath(HfModelRef ref, String etag) {
        Path blobs = repoDir(ref).resolve("blobs");
        return inside(blobs, blobs.resolve(HfNames.requireEtag(etag)));
    }

    Path incompletePath(HfModelRef ref, String etag) {
        return blobPath(ref, etag).resolveSibling(etag + ".incomplete");
    }

    Path lockPath(HfModelRef ref, String etag) {
        Path locks = root.resolve(".locks");
        return inside(locks, locks.resolve(ref.cacheFolderName()).resolve(HfNames.requireEtag(etag) + ".lock"));
    }

    /** Points {@code refs/REVISION} at a commit, atomically, so readers never see half a hash. */
    void writeRef(HfModelRef ref, String commit) throws IOException {
        if (ref.pinnedToCommit() || commitOf(ref).filter(commit::equals).isPresent()) {
            return;
        }
        Path refs = repoDir(ref).resolve("refs");
        Path refFile = inside(refs, refs.resolve(ref.revision()));
        Files.createDirectories(refFile.getParent());
        Path tmp = Files.createTempFile(refFile.getParent(), ".ref", ".tmp");
        try {
            Files.writeString(tmp, commit, StandardCharsets.UTF_8);
            Files.move(tmp, refFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Makes {@code snapshots/COMMIT/FILE} a relative symlink to the blob. Where links cannot be
     * made (Windows without developer mode) the blob is moved there instead, the degraded mode
     * the Hub's own library uses.
     */
    Path link(HfModelRef ref, String commit, String etag) throws IOException {
        Path pointer = snapshotPath(ref, commit);
        Path blob = blobPath(ref, etag);
        if (Files.isRegularFile(pointer)) {
            return pointer;
        }
        Files.createDirectories(pointer.getParent());
        // A unique name per call: two threads linking the same file must not share a temporary.
        Path tmp = pointer.resolveSibling("." + pointer.getFileName() + "." + UUID.randomUUID() + ".link");
        boolean linked;
        try {
            Files.createSymbolicLink(tmp, pointer.getParent().relativize(blob));
            linked = true;
        } catch (UnsupportedOperationException | FileSystemException e) {
            linked = false;
        }
        if (linked) {
            try {
                Files.move(tmp, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } else if (!Files.isRegularFile(pointer)) {
            Files.move(blob, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return pointer;
    }

    /**
     * Fails early, before any process or request, when the cache cannot take a new file: the
     * folder cannot be made, or a file cannot be created in it.
     */
    void requireWritable() {
        try {
            Files.createDirectories(root);
            Path probe = Files.createTempFile(root, ".helios4j-write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new InvalidRequestException("The Hugging Face cache folder " + root + " cannot be written ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "). Set HF_HUB_CACHE (or HF_HOME, or the"
                    + " setting hf.hub-cache) to a folder you can write, or fix the folder's permissions.", e);
        }
    }

    /** Refuses a path that escapes its base folder; the name checks should make this unreachable. */
    private static Path inside(Path base, Path path) {
        Path normal = path.normalize();
        if (!normal.startsWith(base.normalize())) {
            throw new LlmException("Refusing the cache path " + normal + ": it is outside " + base + ".");
        }
        return normal;
    }
}
