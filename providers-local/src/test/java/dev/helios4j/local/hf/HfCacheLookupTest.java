package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.ModelNotFoundException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HfCacheLookupTest {
    private static final String REPO = "TheOrg/tiny-GGUF";

    @TempDir
    Path tmp;
    CacheTree tree;
    HfModels models;

    @BeforeEach
    void buildCache() throws Exception {
        tree = CacheTree.standard(tmp.resolve("hub"));
        // No PATH and an endpoint nobody listens on: a test that wrongly reached for the network fails.
        models = HfModels.builder().environment(HfEnvironment.of(Map.of(
                "HF_HUB_CACHE", tree.root().toString(), "HF_ENDPOINT", "http://127.0.0.1:9"), tmp)).build();
    }

    @Test
    void mainFollowsItsRefToTheNewCommit() throws Exception {
        Path found = models.locate(REPO, "tiny.Q4.gguf", null).orElseThrow();
        assertEquals(tree.repoDir(REPO).resolve("snapshots").resolve(CacheTree.NEW).resolve("tiny.Q4.gguf"), found);
        assertEquals("new q4, longer", Files.readString(found));
        assertEquals(tree.repoDir(REPO).resolve("blobs").resolve("c".repeat(64)), found.toRealPath());
    }

    @Test
    void aTagFollowsItsRefToTheOldCommit() throws Exception {
        Path found = models.locate(REPO, "tiny.Q4.gguf", "v1.0").orElseThrow();
        assertEquals("old q4", Files.readString(found));
    }

    @Test
    void aCommitHashIsUsedWithoutAnyRef() throws Exception {
        Files.delete(tree.repoDir(REPO).resolve("refs/v1.0"));
        Path found = models.locate(REPO, "tiny.Q4.gguf", CacheTree.OLD).orElseThrow();
        assertEquals("old q4", Files.readString(found));
    }

    @Test
    void twoRevisionsShareOneBlob() throws Exception {
        Path oldQ8 = models.locate(REPO, "tiny.Q8.gguf", "v1.0").orElseThrow();
        Path newQ8 = models.locate(REPO, "tiny.Q8.gguf", "main").orElseThrow();
        assertFalse(oldQ8.equals(newQ8));
        assertEquals(oldQ8.toRealPath(), newQ8.toRealPath());
    }

    @Test
    void filesInSubfoldersAreFound() throws Exception {
        Path found = models.resolve("hf:TheOrg/tiny-GGUF/split/tiny-00001-of-00002.gguf");
        assertEquals("part one", Files.readString(found));
        assertEquals("tiny-00001-of-00002.gguf", found.getFileName().toString(), "keeps its name for split loading");
    }

    @Test
    void missingRefBrokenLinkAndUnknownFileAreNotCached() throws Exception {
        tree.danglingFile(REPO, CacheTree.NEW, "broken.gguf");
        Files.writeString(tree.repoDir(REPO).resolve("refs/garbled"), "not a hash");
        assertEquals(Optional.empty(), models.locate(REPO, "broken.gguf", null));
        assertEquals(Optional.empty(), models.locate(REPO, "tiny.Q4.gguf", "v2.0"));
        assertEquals(Optional.empty(), models.locate(REPO, "tiny.Q4.gguf", "garbled"));
        assertEquals(Optional.empty(), models.locate(REPO, "other.gguf", null));
        assertEquals(Optional.empty(), models.locate("TheOrg/absent", "tiny.Q4.gguf", null));
    }

    @Test
    void listShowsEachGgufPerRepositoryAndRevisionWithItsSize() throws Exception {
        tree.danglingFile(REPO, CacheTree.NEW, "broken.gguf");
        tree.file("Other/model", "3333333333333333333333333333333333333333", "m.gguf", "f".repeat(64),
                CacheTree.bytes("12345"));
        List<HfCachedFile> files = models.list();

        assertEquals(List.of(
                "TheOrg/tiny-GGUF main " + CacheTree.NEW + " split/tiny-00001-of-00002.gguf 8",
                "TheOrg/tiny-GGUF main " + CacheTree.NEW + " tiny.Q4.gguf 14",
                "TheOrg/tiny-GGUF main " + CacheTree.NEW + " tiny.Q8.gguf 13",
                "TheOrg/tiny-GGUF v1.0 " + CacheTree.OLD + " tiny.Q4.gguf 6",
                "TheOrg/tiny-GGUF v1.0 " + CacheTree.OLD + " tiny.Q8.gguf 13",
                "Other/model - 3333333333333333333333333333333333333333 m.gguf 5").stream().sorted().toList(),
                files.stream().map(f -> f.repo() + " " + (f.refs().isEmpty() ? "-" : String.join(",", f.refs()))
                        + " " + f.commit() + " " + f.file() + " " + f.size()).sorted().toList());
        HfCachedFile q8 = files.stream().filter(f -> f.file().equals("tiny.Q8.gguf")).findFirst().orElseThrow();
        assertEquals(tree.repoDir(REPO).resolve("blobs").resolve("b".repeat(64)), q8.blob());
        assertTrue(q8.toString().contains("13 B"), q8.toString());
    }

    @Test
    void aSnapshotLinkLeadingOutsideTheCacheIsRefusedAndNotListed() throws Exception {
        Path secret = Files.writeString(Files.createDirectories(tmp.resolve("elsewhere")).resolve("private.gguf"), "x");
        Path pointer = tree.repoDir(REPO).resolve("snapshots").resolve(CacheTree.NEW).resolve("evil.gguf");
        Files.createSymbolicLink(pointer, secret);

        dev.helios4j.LlmException e = assertThrows(dev.helios4j.LlmException.class,
                () -> models.locate(REPO, "evil.gguf", null));
        assertTrue(e.getMessage().contains("outside the Hugging Face cache"), e.getMessage());
        assertThrows(dev.helios4j.LlmException.class, () -> models.resolve(REPO, "evil.gguf", null));
        List<String> listed = models.list().stream().map(HfCachedFile::file).toList();
        assertFalse(listed.contains("evil.gguf"), listed.toString());
        assertTrue(listed.contains("tiny.Q4.gguf"), listed.toString());
    }

    @Test
    void aRefFileThatIsNotUtf8SkipsOnlyItsRepository() throws Exception {
        tree.file("Other/model", "3333333333333333333333333333333333333333", "m.gguf", "f".repeat(64),
                CacheTree.bytes("12345"));
        Path ref = tree.repoDir("Other/model").resolve("refs/main");
        Files.createDirectories(ref.getParent());
        Files.write(ref, new byte[] {(byte) 0xff, (byte) 0xfe, 0x33, (byte) 0xc3});

        List<HfCachedFile> files = models.list();
        assertEquals(5, files.stream().filter(f -> f.repo().equals(REPO)).count(), files.toString());
        assertTrue(files.stream().noneMatch(f -> f.repo().equals("Other/model")), files.toString());
    }

    @Test
    void listOfAMissingCacheIsEmpty() {
        HfModels none = HfModels.builder().environment(HfEnvironment.of(Map.of(), tmp.resolve("nohome"))).build();
        assertEquals(List.of(), none.list());
    }

    @Test
    void offlineReturnsWhatTheCacheHolds() throws Exception {
        HfModels offline = offline();
        assertEquals("new q4, longer", Files.readString(offline.resolve("hf:TheOrg/tiny-GGUF/tiny.Q4.gguf")));
        assertEquals("old q4", Files.readString(offline.resolve("hf:TheOrg/tiny-GGUF/tiny.Q4.gguf@v1.0")));
    }

    @Test
    void offlineMissingModelIsAClearErrorWithTheFetchCommand() {
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> offline().resolve("hf:TheOrg/tiny-GGUF/tiny.Q2.gguf@v1.0"));
        assertEquals(Optional.of("hf download TheOrg/tiny-GGUF tiny.Q2.gguf --revision v1.0"), e.fetchCommand());
        assertTrue(e.getMessage().contains("HF_HUB_OFFLINE"), e.getMessage());
        assertTrue(e.getMessage().contains(tree.root().toString()), e.getMessage());
    }

    @Test
    void offlineErrorMentionsAFileTheHubSaidIsMissing() throws Exception {
        tree.noExist(REPO, CacheTree.NEW, "tiny.Q2.gguf");
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> offline().resolve("hf:TheOrg/tiny-GGUF/tiny.Q2.gguf"));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void aCommitTheHubSaidLacksTheFileFailsWithoutNetwork() throws Exception {
        tree.noExist(REPO, CacheTree.NEW, "tiny.Q2.gguf");
        ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                () -> models.resolve("hf:TheOrg/tiny-GGUF/tiny.Q2.gguf@" + CacheTree.NEW));
        assertTrue(e.getMessage().contains(".no_exist"), e.getMessage());
    }

    private HfModels offline() {
        return HfModels.builder().environment(HfEnvironment.of(Map.of(
                "HF_HUB_CACHE", tree.root().toString(), "HF_HUB_OFFLINE", "1",
                "HF_ENDPOINT", "http://127.0.0.1:9"), tmp)).build();
    }
}
