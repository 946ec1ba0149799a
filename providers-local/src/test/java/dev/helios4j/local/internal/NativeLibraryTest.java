package dev.helios4j.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The binding never works in java.io.tmpdir, where its loader deletes other JVMs' libraries. */
class NativeLibraryTest {
    @Test
    void theBindingGetsAPrivateDirectoryAndAnExtractedLibrary() {
        NativeLibrary.prepare();
        String tmpSet = System.getProperty(NativeLibrary.TMPDIR);
        String libSet = System.getProperty(NativeLibrary.LIB_PATH);
        NativeLibrary.prepare();
        assertEquals(tmpSet, System.getProperty(NativeLibrary.TMPDIR), "idempotent: the second call changes nothing");
        assertEquals(libSet, System.getProperty(NativeLibrary.LIB_PATH), "idempotent: the second call changes nothing");

        Path tmp = Path.of(System.getProperty(NativeLibrary.TMPDIR));
        assertTrue(Files.isDirectory(tmp), tmp.toString());
        assertNotEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), tmp.toAbsolutePath());
        assertTrue(tmp.getParent().getFileName().toString().startsWith("helios4j-native-"), tmp.toString());

        Path lib = Path.of(System.getProperty(NativeLibrary.LIB_PATH));
        assertEquals(tmp.getParent(), lib.getParent(), "one private directory holds both");
        assertTrue(Files.isRegularFile(lib.resolve(System.mapLibraryName("jllama"))), lib.toString());
    }
}
