package dev.helios4j.jshell;

import dev.helios4j.testkit.TestJars;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Core's deterministic third-party provider, compiled and jarred as a user would ship it. */
final class AcmeJar {
    /** Acme's chat answer to "Hello" (see core's plugins/AcmeProvider.java). */
    static final String HELLO_ANSWER = "Hello! You said: Hello";
    private static Path jar;

    private AcmeJar() {
    }

    static synchronized Path get() throws IOException {
        if (jar == null) {
            jar = TestJars.build(Files.createTempDirectory("helios4j-jshell-acme"), "acme.jar",
                    Map.of("com.acme.llm.AcmeProvider", TestJars.resource("plugins/AcmeProvider.java")),
                    Map.of("dev.helios4j.spi.LlmProvider", List.of("com.acme.llm.AcmeProvider")), List.of());
        }
        return jar;
    }

    /** @return core's classes, this module's classes and the Acme jar: what the scripts need */
    static List<Path> classpath() throws IOException {
        try {
            Path jshell = Path.of(Helpers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return List.of(TestJars.coreClasses(), jshell, get());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
