package dev.helios4j.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds real jars during a test: compiles Java sources with {@code javax.tools} and packs the
 * classes with their {@code META-INF/services} files, the way a plugin author ships a provider.
 */
public final class TestJars {
    private TestJars() {
    }

    /**
     * Compiles sources and jars them.
     *
     * @param workDir a scratch directory
     * @param jarName the jar's file name
     * @param sources fully qualified class name to source text
     * @param services service interface name to the implementation class names it lists
     * @param classpath extra classpath entries (core's classes are always on it)
     * @return the jar
     */
    public static Path build(Path workDir, String jarName, Map<String, String> sources,
                             Map<String, List<String>> services, List<Path> classpath) throws IOException {
        Path src = Files.createDirectories(workDir.resolve(jarName + "-src"));
        Path classes = Files.createDirectories(workDir.resolve(jarName + "-classes"));
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            files.add(file);
        }
        compile(files, classes, classpath);
        for (Map.Entry<String, List<String>> e : services.entrySet()) {
            Path file = classes.resolve("META-INF/services/" + e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, String.join("\n", e.getValue()) + "\n");
        }
        Path jar = workDir.resolve(jarName);
        pack(classes, jar);
        return jar;
    }

    /** @return the directory or jar holding helios4j-core's classes */
    public static Path coreClasses() {
        try {
            return Path.of(dev.helios4j.Llm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the text of a test resource, such as {@code plugins/AcmeProvider.java} */
    public static String resource(String name) throws IOException {
        try (var in = TestJars.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void compile(List<Path> files, Path out, List<Path> classpath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("These tests need a JDK (javax.tools), not a JRE.");
        }
        List<String> cp = new ArrayList<>();
        cp.add(coreClasses().toString());
        classpath.forEach(p -> cp.add(p.toString()));
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
            List<String> options = List.of("--release", "17", "-d", out.toString(),
                    "-classpath", String.join(java.io.File.pathSeparator, cp), "-proc:none");
            Boolean ok = javac.getTask(diagnostics, fm, null, options, null, units).call();
            if (!Boolean.TRUE.equals(ok)) {
                throw new IllegalStateException("compiling " + files + " failed:\n" + diagnostics);
            }
        }
    }

    private static void pack(Path dir, Path jar) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest);
             Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (Files.isRegularFile(p)) {
                    out.putNextEntry(new JarEntry(dir.relativize(p).toString().replace('\\', '/')));
                    Files.copy(p, out);
                    out.closeEntry();
                }
            }
        }
    }
}
