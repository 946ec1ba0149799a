package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmClient;
import dev.helios4j.testkit.Stdout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The similarity table: cosines of real embeddings (the Acme plugin's), as HTML and as text. */
class SimilarityTest {

    @Test
    void rendersEveryPairAsHtmlAndText() {
        Output out = Similarity.render(List.of("a <b>", "c"), new double[][] {{1, 0.25}, {0.25, 1}});
        assertEquals(Output.HTML, out.richMime());
        assertTrue(out.rich().contains("<th style=\"text-align:left\">1. a &lt;b&gt;</th>"), out.rich());
        assertTrue(out.rich().contains("background-color:#78c878\">1.00</td>"), "1 is the greenest: " + out.rich());
        assertEquals(String.join("\n",
                "              1     2",
                "1. a <b>   1.00  0.25",
                "2. c       0.25  1.00"), out.plain());
    }

    @Test
    void embedsWithTheClientAndPrintsWithoutAKernel() throws Exception {
        String printed;
        Kernels.forceStdout(true);
        try (LlmClient llm = Acme.open("x")) {
            printed = Stdout.capture(() -> Similarity.table(llm, List.of("The sky is blue.", "The sky is blue.", "Hello world!")));
        } finally {
            Kernels.forceStdout(false);
        }
        String[] lines = printed.strip().split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertTrue(lines[1].matches("1\\. The sky is blue\\.\\s+1\\.00\\s+1\\.00\\s+0\\.\\d\\d"), lines[1]);
        assertTrue(lines[3].endsWith("1.00"), lines[3]);
    }

    @Test
    void labelsMustMatchTheVectors() {
        assertThrows(InvalidRequestException.class, () -> Similarity.table(List.of("a"), new float[2][3]));
    }
}
