package dev.helios4j.notebook;

import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.testkit.TestJars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The stand-in model: core's Acme provider, compiled and jarred once per test JVM and opened
 * through a class loader of its own, as a jar dropped on a kernel's classpath would be.
 * "Hello" gets "Hello! You said: Hello"; a prompt with "Count" counts for ever, a word a millisecond.
 */
final class Acme {
    private static URLClassLoader loader;

    private Acme() {
    }

    static synchronized LlmClient open(String model) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader());
        try {
            return Llm.open("acme:" + model);
        } finally {
            t.setContextClassLoader(before);
        }
    }

    static synchronized URLClassLoader loader() {
        if (loader == null) {
            try {
                Path dir = Files.createTempDirectory("helios4j-acme");
                Path jar = TestJars.build(dir, "acme.jar",
                        Map.of("com.acme.llm.AcmeProvider", TestJars.resource("plugins/AcmeProvider.java")),
                        Map.of("dev.helios4j.spi.LlmProvider", List.of("com.acme.llm.AcmeProvider")), List.of());
                loader = new URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, Acme.class.getClassLoader());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return loader;
    }
}
