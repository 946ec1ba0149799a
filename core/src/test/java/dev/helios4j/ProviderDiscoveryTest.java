package dev.helios4j;

import static dev.helios4j.Plugins.withContextLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.testkit.TestJars;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Discovery as notebooks stress it: real jars, built here, on class loaders that change. */
class ProviderDiscoveryTest {
    private static final Settings NO_CONFIG = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"));

    @Test
    void thirdPartyJarOnTheContextLoaderIsOpenedBySpec() throws Exception {
        try (Plugins.GrowingLoader loader = new Plugins.GrowingLoader(Plugins.acme())) {
            String answer = withContextLoader(loader, () -> {
                try (LlmClient llm = Llm.open("acme:x", NO_CONFIG)) {
                    assertEquals("acme", llm.provider());
                    return llm.chat("Hello");
                }
            });
            assertEquals("Hello! You said: Hello", answer);
        }
    }

    @Test
    void providerWithoutTheJarIsNotFound() {
        ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class, () -> Llm.open("acme:x", NO_CONFIG));
        assertTrue(e.getMessage().contains("No provider named 'acme'"), e.getMessage());
        assertTrue(e.getMessage().contains("META-INF/services/dev.helios4j.spi.LlmProvider"), e.getMessage());
    }

    @Test
    void brokenProviderIsReportedWithItsReasonAndDoesNotHideOthers() throws Exception {
        Path broken = Plugins.simple("broken.jar", "com.broken", "BrokenProvider", "broken",
                "throw new IllegalStateException(\"no licence key in BROKEN_HOME\");");
        try (Plugins.GrowingLoader loader = new Plugins.GrowingLoader(broken, Plugins.acme())) {
            List<ProviderInfo> infos = withContextLoader(loader, Llm::providers);
            ProviderInfo brokenInfo = find(infos, "com.broken.BrokenProvider").orElseThrow();
            assertFalse(brokenInfo.isAvailable());
            assertTrue(brokenInfo.failure().contains("no licence key in BROKEN_HOME"), brokenInfo.failure());
            assertTrue(brokenInfo.toString().contains("FAILED"), brokenInfo.toString());
            assertTrue(find(infos, "com.acme.llm.AcmeProvider").orElseThrow().isAvailable());

            String answer = withContextLoader(loader, () -> {
                try (LlmClient llm = Llm.open("acme:x", NO_CONFIG)) {
                    return llm.chat("Hi");
                }
            });
            assertEquals("Hello! You said: Hi", answer);

            ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class,
                    () -> withContextLoader(loader, () -> Llm.open("nosuch:model", NO_CONFIG)));
            assertTrue(e.getMessage().contains("Providers found: acme"), e.getMessage());
            assertTrue(e.getMessage().contains("com.broken.BrokenProvider"), e.getMessage());
            assertTrue(e.getMessage().contains("no licence key"), e.getMessage());
        }
    }

    @Test
    void providerWithAMissingDependencyIsReportedAndSkipped() throws Exception {
        Path dir = Plugins.dir();
        Path dependency = TestJars.build(dir, "needed-lib.jar",
                Map.of("com.needy.lib.Helper", "package com.needy.lib; public class Helper { public static String n() { return \"needy\"; } }"),
                Map.of(), List.of());
        String source = "package com.needy;\n"
                + "public final class NeedyProvider implements dev.helios4j.spi.LlmProvider {\n"
                + "  private final String name = com.needy.lib.Helper.n();\n"
                + "  public String name() { return name; }\n"
                + "  public dev.helios4j.spi.ChatEngine open(dev.helios4j.spi.ProviderContext c) { throw new UnsupportedOperationException(); }\n"
                + "}\n";
        Path needy = TestJars.build(dir, "needy.jar", Map.of("com.needy.NeedyProvider", source),
                Map.of(Plugins.SERVICE, List.of("com.needy.NeedyProvider")), List.of(dependency));
        // The dependency jar is left off the loader, as when a user forgets a transitive jar.
        try (Plugins.GrowingLoader loader = new Plugins.GrowingLoader(needy, Plugins.acme())) {
            List<ProviderInfo> infos = withContextLoader(loader, Llm::providers);
            ProviderInfo info = find(infos, "com.needy.NeedyProvider").orElseThrow();
            assertTrue(info.failure().contains("com/needy/lib/Helper"), info.failure());
            assertTrue(find(infos, "com.acme.llm.AcmeProvider").orElseThrow().isAvailable());
        }
    }

    @Test
    void servicesFileNamingAMissingClassIsReported() throws Exception {
        Path ghost = TestJars.build(Plugins.dir(), "ghost.jar", Map.of("com.ghost.Unrelated", "package com.ghost; class Unrelated {}"),
                Map.of(Plugins.SERVICE, List.of("com.ghost.GhostProvider")), List.of());
        try (Plugins.GrowingLoader loader = new Plugins.GrowingLoader(ghost, Plugins.acme())) {
            List<ProviderInfo> infos = withContextLoader(loader, Llm::providers);
            ProviderInfo info = find(infos, "com.ghost.GhostProvider").orElseThrow();
            assertTrue(info.failure().contains("not found"), info.failure());
            assertTrue(find(infos, "com.acme.llm.AcmeProvider").orElseThrow().isAvailable());
        }
    }

    @Test
    void jarAddedAfterAFirstLookupIsFoundByTheNext() throws Exception {
        try (Plugins.GrowingLoader loader = new Plugins.GrowingLoader()) {
            assertThrows(ProviderNotFoundException.class, () -> withContextLoader(loader, () -> Llm.open("acme:x", NO_CONFIG)));
            loader.add(Plugins.acme()); // what %jars does to a running kernel's loader
            String answer = withContextLoader(loader, () -> {
                try (LlmClient llm = Llm.open("acme:x", NO_CONFIG)) {
                    return llm.chat("Late");
                }
            });
            assertEquals("Hello! You said: Late", answer);
        }
    }

    @Test
    void twoProvidersClaimingOneNameFailWithTheWayToChoose() throws Exception {
        Path clone = Plugins.simple("clone.jar", "com.clone", "AcmeClone", "acme", "");
        try (Plugins.GrowingLoader loader = new Plugins.GrowingLoader(Plugins.acme(), clone)) {
            AmbiguousProviderException e = assertThrows(AmbiguousProviderException.class,
                    () -> withContextLoader(loader, () -> Llm.open("acme:x", NO_CONFIG)));
            assertTrue(e.getMessage().contains("com.acme.llm.AcmeProvider"), e.getMessage());
            assertTrue(e.getMessage().contains("com.clone.AcmeClone"), e.getMessage());
            assertTrue(e.getMessage().contains("-Dhelios4j.provider.acme="), e.getMessage());
        }
    }

    @Test
    void systemPropertyPicksOneOfTwoClaimants() throws Exception {
        Path clone = Plugins.simple("clone2.jar", "com.clone", "AcmeClone", "acme", "");
        Settings pickClone = Settings.of(Map.of("helios4j.provider.acme", "com.clone.AcmeClone"), Map.of(),
                Path.of("/nonexistent-home"));
        Settings pickAcme = Settings.of(Map.of("helios4j.provider.acme", "com.acme.llm.AcmeProvider"), Map.of(),
                Path.of("/nonexistent-home"));
        try (Plugins.GrowingLoader loader = new Plugins.GrowingLoader(Plugins.acme(), clone)) {
            ModelNotFoundException e = assertThrows(ModelNotFoundException.class,
                    () -> withContextLoader(loader, () -> Llm.open("acme:x", pickClone)));
            assertTrue(e.getMessage().contains("AcmeClone opens nothing"), e.getMessage());
            String answer = withContextLoader(loader, () -> {
                try (LlmClient llm = Llm.open("acme:x", pickAcme)) {
                    return llm.chat("Picked");
                }
            });
            assertEquals("Hello! You said: Picked", answer);
            AmbiguousProviderException wrong = assertThrows(AmbiguousProviderException.class,
                    () -> withContextLoader(loader, () -> Llm.open("acme:x", NO_CONFIG.with("provider.acme", "com.nope.X"))));
            assertTrue(wrong.getMessage().contains("names none of the providers"), wrong.getMessage());
        }
    }

    @Test
    void builtInProviderMissingNamesItsArtifact() {
        ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class, () -> Llm.open("openai:gpt-4o-mini", NO_CONFIG));
        assertTrue(e.getMessage().contains("dev.helios4j:helios4j-provider-remote"), e.getMessage());
        ProviderNotFoundException demo = assertThrows(ProviderNotFoundException.class, () -> Llm.open("demo", NO_CONFIG));
        assertTrue(demo.getMessage().contains("No provider named 'llamacpp' for the spec 'demo'"), demo.getMessage());
        assertTrue(demo.getMessage().contains("dev.helios4j:helios4j-provider-local"), demo.getMessage());
    }

    @Test
    void sameProviderVisibleThroughTwoLoadersCountsOnce() throws Exception {
        try (Plugins.GrowingLoader parent = new Plugins.GrowingLoader(Plugins.acme());
             java.net.URLClassLoader child = new java.net.URLClassLoader(new java.net.URL[0], parent)) {
            List<ProviderInfo> infos = withContextLoader(child, Llm::providers);
            assertEquals(1, infos.stream().filter(i -> i.name().equals("acme")).count(), infos.toString());
        }
    }

    @Test
    void brokenEntrySeenThroughBothLoadersIsReportedOnce() throws Exception {
        Path ghost = TestJars.build(Plugins.dir(), "ghost2.jar", Map.of("com.ghost.Other", "package com.ghost; class Other {}"),
                Map.of(Plugins.SERVICE, List.of("com.ghost.MissingProvider")), List.of());
        // As in a kernel where helios4j and a broken jar share one loader and the context loader
        // is its child: both lookups meet the broken entry.
        try (Plugins.GrowingLoader own = new Plugins.GrowingLoader(ghost, Plugins.acme());
             java.net.URLClassLoader context = new java.net.URLClassLoader(new java.net.URL[0], own)) {
            List<ProviderInfo> infos = ProviderRegistry.discover(context, own).stream()
                    .map(ProviderRegistry.Found::info).collect(Collectors.toList());
            assertFalse(find(infos, "com.ghost.MissingProvider").orElseThrow().isAvailable());
            assertTrue(find(infos, "com.acme.llm.AcmeProvider").orElseThrow().isAvailable());
        }
    }

    @Test
    void servicesEntriesThatAreNoProvidersAreReportedUnderTheirOwnClassNames() throws Exception {
        String ctor = "public dev.helios4j.spi.ChatEngine open(dev.helios4j.spi.ProviderContext c) { return null; }\n"
                + "public String name() { return \"x\"; }\n";
        Path wrong = TestJars.build(Plugins.dir(), "wrong.jar", Map.of(
                        "com.wrong.WrongProvider", "package com.wrong; public class WrongProvider { }",
                        "com.wrong.ArgsProvider", "package com.wrong; public class ArgsProvider implements "
                                + "dev.helios4j.spi.LlmProvider { public ArgsProvider(String s) { }\n" + ctor + "}",
                        "com.wrong.HiddenProvider", "package com.wrong; class HiddenProvider implements "
                                + "dev.helios4j.spi.LlmProvider {\n" + ctor + "}"),
                Map.of(Plugins.SERVICE, List.of("com.wrong.WrongProvider", "com.wrong.ArgsProvider",
                        "com.wrong.HiddenProvider")), List.of());
        try (Plugins.GrowingLoader loader = new Plugins.GrowingLoader(wrong, Plugins.acme())) {
            List<ProviderInfo> infos = withContextLoader(loader, Llm::providers);
            ProviderInfo notSubtype = find(infos, "com.wrong.WrongProvider").orElseThrow(() -> new AssertionError(infos));
            assertTrue(notSubtype.failure().contains("not a subtype"), notSubtype.failure());
            assertEquals("com.wrong.WrongProvider", notSubtype.name(), notSubtype.toString());
            assertTrue(find(infos, "com.wrong.ArgsProvider").orElseThrow(() -> new AssertionError(infos))
                    .failure().contains("no-arg constructor"), infos.toString());
            assertFalse(find(infos, "com.wrong.HiddenProvider").orElseThrow(() -> new AssertionError(infos))
                    .isAvailable(), infos.toString());
            assertTrue(infos.stream().noneMatch(i -> i.className().equals("not") || i.className().startsWith("(")),
                    infos.toString());
            assertTrue(find(infos, "com.acme.llm.AcmeProvider").orElseThrow().isAvailable());
        }
    }

    @Test
    void classNamesAreReadFromEveryServiceLoaderMessage() {
        String s = Plugins.SERVICE + ": ";
        assertEquals("com.x.YProvider", ProviderRegistry.classNameIn(new java.util.ServiceConfigurationError(
                s + "com.x.YProvider not a subtype")));
        assertEquals("com.x.Y", ProviderRegistry.classNameIn(new java.util.ServiceConfigurationError(
                s + "Provider com.x.Y not found")));
        assertEquals("com.x.Provider", ProviderRegistry.classNameIn(new java.util.ServiceConfigurationError(
                s + "com.x.Provider Unable to get public no-arg constructor")));
        assertEquals("com.x-y.Z", ProviderRegistry.classNameIn(new java.util.ServiceConfigurationError(
                s + "jar:file:/p.jar!/META-INF/services/" + Plugins.SERVICE + ":3: Illegal provider-class name: com.x-y.Z")));
        assertEquals("(unknown provider class)", ProviderRegistry.classNameIn(new java.util.ServiceConfigurationError(
                s + "jar:file:/p.jar!/META-INF/services/" + Plugins.SERVICE + ":1: Illegal configuration-file syntax")));
    }

    private static Optional<ProviderInfo> find(List<ProviderInfo> infos, String className) {
        List<ProviderInfo> matching = infos.stream().filter(i -> i.className().equals(className)).collect(Collectors.toList());
        assertTrue(matching.size() <= 1, "listed twice: " + matching);
        return matching.stream().findFirst();
    }
}
