package dev.helios4j.local.internal;

import dev.helios4j.LlmException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Prepares java-llama.cpp's native library before its first use; the one place that does.
 *
 * <p>Left alone, the binding deletes every {@code llama*} entry in {@code java.io.tmpdir} (another
 * JVM's library included), extracts its library there and prints a line to stdout. Instead the
 * library is extracted into a private per-process directory and the binding is pointed at it, so
 * nothing is printed and no JVM disturbs another. A {@code de.kherud.llama.lib.path} or
 * {@code de.kherud.llama.tmpdir} the user set is kept (a missing tmpdir is created, since the
 * binding fails on one as "No native library found").
 *
 * <p>The binding reads only JVM-wide system properties, so setting them is the one way to steer
 * it; they are also the only record that the work is done. This class keeps no state of its own:
 * a call finds them set and has nothing left to do.
 */
public final class NativeLibrary {
    private static final System.Logger LOG = System.getLogger(NativeLibrary.class.getName());
    static final String LIB_PATH = "de.kherud.llama.lib.path";
    static final String TMPDIR = "de.kherud.llama.tmpdir";

    private NativeLibrary() {
    }

    /**
     * Makes the binding safe to load in this JVM. Idempotent and thread-safe; the provider calls it
     * before every load. Call it yourself before using {@code de.kherud.llama.LlamaModel} directly.
     *
     * @throws LlmException when no private directory can be created
     */
    public static synchronized void prepare() {
        try {
            Path dir = null;
            if (System.getProperty(TMPDIR) == null) {
                dir = privateDirectory();
                Path tmp = Files.createDirectories(dir.resolve("tmp"));
                tmp.toFile().deleteOnExit();
                System.setProperty(TMPDIR, tmp.toString());
            } else {
                Files.createDirectories(Path.of(System.getProperty(TMPDIR)));
            }
            if (System.getProperty(LIB_PATH) == null) {
                extractInto(dir);
            }
        } catch (IOException e) {
            throw new LlmException("Cannot prepare a directory for llama.cpp's native library: " + e.getMessage()
                    + ". Set -D" + TMPDIR + "=DIR to a writable directory.", e);
        }
    }

    private static Path privateDirectory() throws IOException {
        Path dir = Files.createTempDirectory("helios4j-native-");
        dir.toFile().deleteOnExit();
        return dir;
    }

    /**
     * Copies the library for this platform out of the binding's jar, when the jar has one, into
     * {@code dir} or, when null, a new private directory.
     */
    private static void extractInto(Path dir) throws IOException {
        String resource = "/de/kherud/llama/" + osFolder() + "/" + archFolder() + "/" + System.mapLibraryName("jllama");
        try (InputStream in = de.kherud.llama.LlamaModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                LOG.log(Level.DEBUG, "No bundled native library at " + resource + "; the binding will look for one");
                return;
            }
            Path libDir = Files.createDirectories((dir != null ? dir : privateDirectory()).resolve("lib"));
            libDir.toFile().deleteOnExit();
            Path lib = libDir.resolve(System.mapLibraryName("jllama"));
            Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
            lib.toFile().deleteOnExit();
            System.setProperty(LIB_PATH, libDir.toString());
        }
    }

    private static String osFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("mac") || os.contains("darwin")) {
            return "Mac";
        }
        return os.contains("win") ? "Windows" : "Linux";
    }

    private static String archFolder() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> arch;
        };
    }
}
