package dev.helios4j.local.hf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Installs the stand-in CLI script (test resource {@code hf/fake-hf-cli.sh}) under a given name
 * in a temporary bin folder, and reads back the log of its calls. A stand-in because no real
 * Hugging Face CLI can be installed on the build machine.
 */
final class FakeCli {
    private final Path bin;
    private final Path log;

    FakeCli(Path dir) throws IOException {
        this.bin = Files.createDirectories(dir.resolve("bin"));
        this.log = dir.resolve("cli.log");
    }

    FakeCli install(String name) throws IOException {
        Path script = bin.resolve(name);
        try (InputStream in = FakeCli.class.getResourceAsStream("/hf/fake-hf-cli.sh")) {
            Files.write(script, in.readAllBytes());
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return this;
    }

    /** PATH with the stand-in first, then the system folders the script's own commands need. */
    String path() {
        return bin + ":/usr/bin:/bin";
    }

    Path log() {
        return log;
    }

    /** @return the lines the stand-in logged; empty when it never ran */
    List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    }
}
