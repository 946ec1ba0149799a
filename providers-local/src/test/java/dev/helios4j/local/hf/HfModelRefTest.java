package dev.helios4j.local.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.InvalidRequestException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HfModelRefTest {

    @Test
    void parsesOrgRepoAndFileWithMainAsDefault() {
        HfModelRef ref = HfModelRef.parse("hf:TheBloke/Llama-2-7B-GGUF/llama-2-7b.Q4_K_M.gguf");
        assertEquals(new HfModelRef("TheBloke/Llama-2-7B-GGUF", "llama-2-7b.Q4_K_M.gguf", "main"), ref);
        assertFalse(ref.pinnedToCommit());
        assertEquals("hf download TheBloke/Llama-2-7B-GGUF llama-2-7b.Q4_K_M.gguf", ref.fetchCommand());
        assertEquals("hf:TheBloke/Llama-2-7B-GGUF/llama-2-7b.Q4_K_M.gguf", ref.toString());
    }

    @ParameterizedTest
    @CsvSource({
            "hf:org/repo/sub/dir/model.gguf,            org/repo, sub/dir/model.gguf, main",
            "org/repo/model.gguf@v1.0,                   org/repo, model.gguf,         v1.0",
            "hf:org/repo/model.gguf@refs/pr/1,           org/repo, model.gguf,         refs/pr/1",
            "hf:org/repo/name@2x.gguf,                   org/repo, name@2x.gguf,       main",
            "hf:org/repo/name@2x.gguf@dev,               org/repo, name@2x.gguf,       dev",
            "hf:org/repo/MODEL.GGUF,                     org/repo, MODEL.GGUF,         main",
            "hf:org/repo/m.gguf@0123456789abcdef0123456789abcdef01234567, org/repo, m.gguf, 0123456789abcdef0123456789abcdef01234567",
    })
    void parsesEveryForm(String spec, String repo, String file, String revision) {
        assertEquals(new HfModelRef(repo, file, revision), HfModelRef.parse(spec));
    }

    @Test
    void aFullCommitHashPinsTheReference() {
        HfModelRef ref = HfModelRef.parse("hf:org/repo/m.gguf@0123456789abcdef0123456789abcdef01234567");
        assertTrue(ref.pinnedToCommit());
        assertEquals("hf download org/repo m.gguf --revision 0123456789abcdef0123456789abcdef01234567",
                ref.fetchCommand());
        assertFalse(HfModelRef.parse("hf:org/repo/m.gguf@0123456789abcdef").pinnedToCommit());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "hf:../etc/passwd/x.gguf                         | '..'",
            "hf:org/../x.gguf                                | '..'",
            "hf:/etc/repo/x.gguf                             | absolute path",
            "hf:~/repo/x/x.gguf                              | absolute path",
            "hf:C:/repo/x/x.gguf                             | absolute path",
            "hf:https://hub.example/org/repo/x.gguf       | URL",
            "hf:www.example.com/org/repo/x.gguf              | URL",
            "hf:org/repo/                                    | file name is empty",
            "hf:org/repo                                     | does not name a file",
            "hf:org/repo/x.gguf@                             | names no revision",
            "hf:org/repo/x.gguf@../../../etc                 | not a valid branch",
            "hf:org/repo/x.gguf@/main                        | not a valid branch",
            "hf:org/repo/x.gguf@main/                        | not a valid branch",
            "hf:org/repo/x.gguf@refs//pr                     | not a valid branch",
            "hf:org/repo/x.gguf@-rf                          | not a valid branch",
            "hf:org/repo/x.gguf@a\\b                         | contains '\\'",
            "hf:org/repo/x.gguf@refs/.hidden                 | starting with '.'",
            "hf:org/repo/sub//x.gguf                         | empty, '.' or '..' part",
            "hf:org/repo/./x.gguf                            | empty, '.' or '..' part",
            "hf:org/repo/sub\\x.gguf                         | backslash",
            "hf:org/repo/README.md                           | not a .gguf file",
            "hf:-org/repo/x.gguf                             | not valid",
            "hf:org--x/repo/x.gguf                           | '--'",
            "''                                              | empty",
    })
    void rejectsBadSpecsWithAClearMessage(String spec, String expected) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> HfModelRef.parse(spec));
        assertTrue(e.getMessage().contains(expected), () -> spec + " -> " + e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"org/re\u0000po", "org/repo\n", "org/\u001Brepo"})
    void rejectsControlCharactersInRepositoryNames(String repo) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> HfModelRef.of(repo, "x.gguf"));
        assertTrue(e.getMessage().contains("control character U+"), e.getMessage());
    }

    @Test
    void rejectsControlCharactersInFileAndRevision() {
        assertThrows(InvalidRequestException.class, () -> HfModelRef.of("org/repo", "x\r.gguf"));
        assertThrows(InvalidRequestException.class, () -> new HfModelRef("org/repo", "x.gguf", "main\n"));
        assertThrows(InvalidRequestException.class, () -> new HfModelRef("org/repo", "x.gguf", "ma in"));
    }

    @Test
    void rejectsEmptyFileAndRevisionButDefaultsNullRevisionToMain() {
        assertThrows(InvalidRequestException.class, () -> HfModelRef.of("org/repo", ""));
        assertThrows(InvalidRequestException.class, () -> HfModelRef.of("org/repo", null));
        assertThrows(InvalidRequestException.class, () -> new HfModelRef("org/repo", "x.gguf", ""));
        assertEquals("main", HfModelRef.of("org/repo", "x.gguf").revision());
    }

    @Test
    void acceptsALegacyRepositoryWithoutOrganisation() {
        assertEquals("gpt2", HfModelRef.of("gpt2", "model.gguf").repo());
        assertEquals("models--gpt2", HfModelRef.of("gpt2", "model.gguf").cacheFolderName());
        assertEquals("models--org--repo", HfModelRef.of("org/repo", "model.gguf").cacheFolderName());
    }

    @Test
    void fetchCommandQuotesUnusualFileNames() {
        assertEquals("hf download org/repo 'my model.gguf'", HfModelRef.of("org/repo", "my model.gguf").fetchCommand());
        assertEquals("hf download org/repo 'it'\\''s.gguf'", HfModelRef.of("org/repo", "it's.gguf").fetchCommand());
    }
}
