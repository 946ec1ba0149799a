package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The real llama-server that .ci/llama-server.sh builds: from {@code HELIOS4J_TEST_LLAMA_SERVER}
 * (which .ci/run exports), else where that script puts it. Tests that need it skip, saying why,
 * when it is missing; under {@code CI=true} they fail instead, so CI never skips them.
 */
final class LlamaServerBinary {
    static final String ENV = "HELIOS4J_TEST_LLAMA_SERVER";

    private LlamaServerBinary() {
    }

    static Optional<Path> find() {
        String given = System.getenv(ENV);
        Path path = given != null && !given.isBlank() ? Path.of(given)
                : Path.of(Optional.ofNullable(System.getenv("HELIOS4J_TOOLS")).orElse("/var/cache/helios4j"),
                "llama.cpp-80fb11a", "build", "bin", "llama-server");
        return Files.isRegularFile(path) && Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }

    /** @return the binary; skips (or fails under CI=true) the calling test when there is none */
    static Path require() {
        Optional<Path> found = find();
        if (found.isPresent()) {
            return found.get();
        }
        String why = "No llama-server binary: set " + ENV + " to one, or build it with .ci/llama-server.sh "
                + "(about 20 minutes on 2 cores).";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(why + " CI=true, so this test fails instead of skipping.");
        }
        System.out.println("SKIPPED: " + why);
        Assumptions.abort(why);
        return null;
    }
}
