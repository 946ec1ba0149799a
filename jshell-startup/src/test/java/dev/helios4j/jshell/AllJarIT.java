package dev.helios4j.jshell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/** The shaded helios4j-all.jar that the launcher and notebooks put on their class path. */
class AllJarIT {
    private static final Path ALL = Path.of(System.getProperty("helios4j.allJar", "target/helios4j-all.jar"));

    @Test
    void llamaCppNativeLibrariesAreCopiedByteForByte() throws Exception {
        Path llama = classpath().stream().filter(p -> p.getFileName().toString().startsWith("llama-")).findFirst()
                .orElseThrow(() -> new AssertionError("de.kherud:llama is not on the test class path"));
        int libraries = 0;
        try (JarFile original = new JarFile(llama.toFile()); JarFile all = new JarFile(ALL.toFile())) {
            for (ZipEntry e : Collections.list(original.entries())) {
                if (e.getName().matches("de/kherud/llama/.*(\\.so|\\.dylib|\\.dll|\\.metal)")) {
                    ZipEntry shaded = all.getEntry(e.getName());
                    assertNotNull(shaded, e.getName() + " is missing from " + ALL);
                    assertArrayEquals(read(original, e), read(all, shaded), e.getName());
                    libraries++;
                }
            }
        }
        assertTrue(libraries >= 5, "found only " + libraries + " native libraries in " + llama);
    }

    @Test
    void everyServiceLineOfEveryShadedJarSurvives() throws Exception {
        Map<String, List<String>> expected = new TreeMap<>();
        for (Path entry : classpath()) {
            if (isShaded(entry)) {
                services(entry).forEach((name, lines) -> expected.computeIfAbsent(name, k -> new ArrayList<>()).addAll(lines));
            }
        }
        assertTrue(expected.containsKey("META-INF/services/com.fasterxml.jackson.core.JsonFactory"), expected.toString());
        Map<String, List<String>> actual = services(ALL);
        expected.forEach((name, lines) -> assertTrue(actual.getOrDefault(name, List.of()).containsAll(lines),
                name + " in " + ALL + " lists " + actual.get(name) + ", not all of " + lines));
    }

    @Test
    void theManifestNamesAModuleAndKeepsMultiReleaseClasses() throws Exception {
        try (JarFile all = new JarFile(ALL.toFile())) {
            var attributes = all.getManifest().getMainAttributes();
            assertEquals("dev.helios4j.all", attributes.getValue("Automatic-Module-Name"));
            assertEquals("true", attributes.getValue("Multi-Release"));
            assertNotNull(all.getEntry("dev/helios4j/jshell/helios.jsh"));
            assertNotNull(all.getEntry("dev/helios4j/jshell/Helpers.class"));
        }
    }

    /** A class path entry is shaded into the all jar when its first class file is there too. */
    private static boolean isShaded(Path entry) throws IOException {
        List<String> names = names(entry);
        String firstClass = names.stream().filter(n -> n.endsWith(".class") && !n.contains("module-info"))
                .findFirst().orElse(null);
        if (firstClass == null) {
            return false;
        }
        try (JarFile all = new JarFile(ALL.toFile())) {
            return all.getEntry(firstClass) != null;
        }
    }

    private static Map<String, List<String>> services(Path entry) throws IOException {
        Map<String, List<String>> services = new TreeMap<>();
        for (String name : names(entry)) {
            if (name.startsWith("META-INF/services/") && !name.endsWith("/")) {
                String text = Files.isDirectory(entry) ? Files.readString(entry.resolve(name)) : jarText(entry, name);
                services.put(name, text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
            }
        }
        return services;
    }

    private static List<String> names(Path entry) throws IOException {
        if (Files.isDirectory(entry)) {
            try (Stream<Path> walk = Files.walk(entry)) {
                return walk.filter(Files::isRegularFile).map(p -> entry.relativize(p).toString().replace(File.separatorChar, '/'))
                        .sorted().toList();
            }
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            return jar.stream().map(ZipEntry::getName).toList();
        }
    }

    private static String jarText(Path jar, String name) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return new String(read(file, file.getEntry(name)), StandardCharsets.UTF_8);
        }
    }

    private static byte[] read(JarFile jar, ZipEntry e) throws IOException {
        try (InputStream in = jar.getInputStream(e)) {
            return in.readAllBytes();
        }
    }

    private static List<Path> classpath() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator)).map(Path::of)
                .filter(Files::exists).toList();
    }
}
