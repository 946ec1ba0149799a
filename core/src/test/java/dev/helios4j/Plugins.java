package dev.helios4j;

import dev.helios4j.testkit.TestJars;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Real plugin jars, compiled and packed once per test JVM, and class loaders to put them on. */
final class Plugins {
    static final String SERVICE = "dev.helios4j.spi.LlmProvider";
    private static Path dir;
    private static Path acme;
    private static Path acmeChat;

    private Plugins() {
    }

    static synchronized Path dir() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("helios4j-plugins");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** The third-party Acme provider, from its source in the test resources. */
    static synchronized Path acme() throws IOException {
        if (acme == null) {
            acme = TestJars.build(dir(), "acme.jar",
                    Map.of("com.acme.llm.AcmeProvider", TestJars.resource("plugins/AcmeProvider.java")),
                    Map.of(SERVICE, List.of("com.acme.llm.AcmeProvider")), List.of());
        }
        return acme;
    }

    /** A second third-party jar, needing Acme's: its provider {@code acme-chat} only chats. */
    static synchronized Path acmeChat() throws IOException {
        if (acmeChat == null) {
            acmeChat = TestJars.build(dir(), "acme-chat.jar",
                    Map.of("com.acme.llm.AcmeChatProvider", TestJars.resource("plugins/AcmeChatProvider.java")),
                    Map.of(SERVICE, List.of("com.acme.llm.AcmeChatProvider")), List.of(acme()));
        }
        return acmeChat;
    }

    /** A jar with one small provider class named {@code pkg.cls} whose name() is {@code name}. */
    static Path simple(String jarName, String pkg, String cls, String name, String constructorBody) throws IOException {
        String source = "package " + pkg + ";\n"
                + "public final class " + cls + " implements dev.helios4j.spi.LlmProvider {\n"
                + "  public " + cls + "() { " + constructorBody + " }\n"
                + "  public String name() { return \"" + name + "\"; }\n"
                + "  public String description() { return \"" + cls + " from " + jarName + "\"; }\n"
                + "  public dev.helios4j.spi.ChatEngine open(dev.helios4j.spi.ProviderContext c) {\n"
                + "    throw new dev.helios4j.ModelNotFoundException(\"" + cls + " opens nothing: \" + c.model());\n"
                + "  }\n"
                + "}\n";
        return TestJars.build(dir(), jarName, Map.of(pkg + "." + cls, source),
                Map.of(SERVICE, List.of(pkg + "." + cls)), List.of());
    }

    /** A URLClassLoader that can grow, as the loaders of notebook kernels and JShell do. */
    static final class GrowingLoader extends URLClassLoader {
        GrowingLoader(Path... jars) {
            super(urls(jars), Plugins.class.getClassLoader());
        }

        void add(Path jar) {
            addURL(urls(jar)[0]);
        }
    }

    /** Runs {@code body} with {@code loader} as the context class loader, then restores it. */
    static <T> T withContextLoader(ClassLoader loader, Callable<T> body) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    private static URL[] urls(Path... jars) {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            try {
                urls[i] = jars[i].toUri().toURL();
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(e);
            }
        }
        return urls;
    }
}
