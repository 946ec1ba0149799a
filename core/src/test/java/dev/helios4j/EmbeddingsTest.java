package dev.helios4j;

import static dev.helios4j.Plugins.withContextLoader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The cosine helper, and how providers show and refuse the embedding capability. */
class EmbeddingsTest {

    @Test
    void cosineOfKnownVectors() {
        assertEquals(1.0, Embeddings.cosine(new float[] {1, 2, 3}, new float[] {2, 4, 6}), 1e-12);
        assertEquals(0.0, Embeddings.cosine(new float[] {1, 0}, new float[] {0, 5}), 1e-12);
        assertEquals(-1.0, Embeddings.cosine(new float[] {1, -1}, new float[] {-2, 2}), 1e-12);
        assertEquals(Math.sqrt(0.5), Embeddings.cosine(new float[] {1, 0}, new float[] {1, 1}), 1e-12);
        assertEquals(0.0, Embeddings.cosine(new float[] {0, 0}, new float[] {1, 1}), "a zero vector has no direction");
    }

    @Test
    void cosineOfVectorsOfDifferentLengthsSaysWhy() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> Embeddings.cosine(new float[3], new float[4]));
        assertTrue(e.getMessage().contains("3 and 4 dimensions"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> Embeddings.cosine(null, new float[1]));
    }

    @Test
    void cosineMatrixIsSymmetricWithOnesOnItsDiagonal() {
        double[][] m = Embeddings.cosineMatrix(new float[][] {{1, 0}, {1, 1}, {0, 3}});
        for (int i = 0; i < 3; i++) {
            assertEquals(1.0, m[i][i], 1e-12);
            for (int j = 0; j < 3; j++) {
                assertEquals(m[i][j], m[j][i]);
            }
        }
        assertEquals(0.0, m[0][2], 1e-12);
    }

    @Test
    void normalizeGivesUnitLength() {
        float[] v = Embeddings.normalize(new float[] {3, 4});
        assertEquals(0.6f, v[0], 1e-6f);
        assertEquals(0.8f, v[1], 1e-6f);
        assertEquals(0f, Embeddings.normalize(new float[] {0, 0})[1]);
    }

    @Test
    void providersShowTheirCapabilitiesAndRefusalsNameWhoCan() throws Exception {
        try (Plugins.GrowingLoader loader = new Plugins.GrowingLoader(Plugins.acme(), Plugins.acmeChat())) {
            withContextLoader(loader, () -> {
                Map<String, ProviderInfo> byName = Llm.providers().stream()
                        .collect(Collectors.toMap(ProviderInfo::name, p -> p, (a, b) -> a));
                assertEquals(Set.of(Capability.CHAT, Capability.EMBEDDINGS), byName.get("acme").capabilities());
                assertTrue(byName.get("acme").toString().contains("[chat, embeddings]"), byName.get("acme").toString());
                assertTrue(!byName.get("acme-chat").toString().contains("["), "chat alone is not worth a mention: "
                        + byName.get("acme-chat"));
                assertEquals(Set.of(Capability.CHAT), byName.get("acme-chat").capabilities());
                try (LlmClient chatOnly = Llm.open("acme-chat:x", AcmeConformanceTest.NO_CONFIG)) {
                    UnsupportedCapabilityException e = assertThrows(UnsupportedCapabilityException.class,
                            () -> chatOnly.embed("Hello"));
                    assertTrue(e.getMessage().contains("The provider 'acme-chat' cannot embed texts"), e.getMessage());
                    assertTrue(e.getMessage().contains("Providers that can: acme"), e.getMessage());
                }
                try (LlmClient acme = Llm.open("acme:x", AcmeConformanceTest.NO_CONFIG)) {
                    float[][] v = acme.embed(List.of("The sky is blue.", "The sky is grey.", "Hello world!"));
                    assertTrue(Embeddings.cosine(v[0], v[1]) > Embeddings.cosine(v[0], v[2]));
                    assertEquals(1.0, Embeddings.cosine(v[0], acme.embed("The sky is blue.")), 1e-6);
                }
                return null;
            });
        }
    }
}
