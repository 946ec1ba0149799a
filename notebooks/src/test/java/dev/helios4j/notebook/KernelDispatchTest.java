package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.spencerpark.ijava.IJava;
import io.github.spencerpark.jupyter.kernel.IJavaTestKernel;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.dflib.jjava.JJava;
import org.dflib.jjava.jupyter.kernel.JJavaTestKernel;
import org.dflib.jjava.jupyter.messages.publish.PublishDisplayData;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Detection and display through the real kernel libraries from Maven Central: JJava 1.0-a6 and
 * jupyter-jvm-basekernel 2.3.0 (IJava's base). What reaches their IOPub environment is what
 * Jupyter would receive.
 */
class KernelDispatchTest {
    private static final List<ClassLoader> LOADERS = List.of(KernelDispatchTest.class.getClassLoader());
    private static final Output FIRST = Output.markdown("*…*", "…");
    private static final Output SECOND = Output.markdown("**Hello** world", "Hello world");

    private JJavaTestKernel jjava;

    @AfterEach
    void takeKernelsDown() {
        if (jjava != null) {
            jjava.uninstall();
        }
        JJava.kernel = null;
        IJava.kernel = null;
        Kernels.forget();
        Kernels.forceStdout(false);
    }

    @Test
    void withoutAKernelOutputGoesToStdout() {
        assertEquals(Optional.empty(), Kernels.detect(LOADERS));
        assertEquals("stdout", Notebook.kernel());
    }

    @Test
    void jjavaDisplaysOnceAndUpdatesTheSameOutputWithMarkdownAndPlainText() {
        jjava = new JJavaTestKernel().install();
        Frontend f = Kernels.detect(LOADERS).orElseThrow();
        assertEquals("JJava", f.name());

        f.display("id-1", FIRST);
        f.update("id-1", SECOND);

        List<Object> sent = jjava.env.published;
        assertEquals(2, sent.size());
        PublishDisplayData shown = (PublishDisplayData) sent.get(0);
        PublishUpdateDisplayData updated = (PublishUpdateDisplayData) sent.get(1);
        assertEquals("id-1", shown.getDisplayId());
        assertEquals("id-1", updated.getDisplayId());
        assertEquals("**Hello** world", updated.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_MARKDOWN));
        assertEquals("Hello world", updated.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
    }

    @Test
    void olderJJavaIsFoundThroughItsEntryClass() {
        JJavaTestKernel old = new JJavaTestKernel(); // not installed as notebookKernel: the old way
        JJava.kernel = old;
        Frontend f = Kernels.detect(LOADERS).orElseThrow();
        f.display("id-2", FIRST);
        assertEquals("JJava", f.name());
        assertEquals("id-2", ((PublishDisplayData) old.env.published.get(0)).getDisplayId());
    }

    @Test
    void ijavaDisplaysThroughTheBaseKernelLibrary() {
        IJavaTestKernel kernel = new IJavaTestKernel();
        IJava.kernel = kernel;
        Frontend f = Kernels.detect(LOADERS).orElseThrow();
        assertEquals("IJava", f.name());

        f.display("id-3", FIRST);
        f.update("id-3", SECOND);

        var shown = (io.github.spencerpark.jupyter.messages.publish.PublishDisplayData) kernel.env.published.get(0);
        var updated = (io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData) kernel.env.published.get(1);
        assertEquals("id-3", shown.getDisplayId());
        assertEquals("id-3", updated.getDisplayId());
        assertEquals("**Hello** world", updated.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_MARKDOWN));
        assertEquals("Hello world", updated.getData(io.github.spencerpark.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN));
    }

    @Test
    void newJJavaWinsOverOlderJJavaAndIJavaAsDesignOrders() {
        jjava = new JJavaTestKernel().install();
        JJava.kernel = new JJavaTestKernel();
        IJava.kernel = new IJavaTestKernel();
        Kernels.detect(LOADERS).orElseThrow().display("id-4", FIRST);
        assertEquals(1, jjava.env.published.size());
        assertEquals(0, ((JJavaTestKernel) JJava.kernel).env.published.size());
    }

    @Test
    void detectionIsCachedAndTheStdoutSwitchOverridesIt() {
        jjava = new JJavaTestKernel().install();
        assertEquals("JJava", Notebook.kernel());
        jjava.uninstall();
        assertEquals("JJava", Notebook.kernel(), "cached for the session");
        Notebook.useStdout(true);
        assertEquals("stdout", Notebook.kernel());
        Notebook.useStdout(false);
        assertEquals("JJava", Notebook.kernel());
    }

    @Test
    void rapaioOnTheClasspathWithoutAConnectedKernelIsNotTakenForANotebook() {
        assertNull(RapaioFrontend.find(KernelDispatchTest.class.getClassLoader()));
    }

    @Test
    void rapaioDisplayDataCarriesMarkdownPlainTextAndTheDisplayId() throws Exception {
        Class<?> main = Class.forName(RapaioFrontend.MAIN);
        Object kernel = main.getField("kernel").get(null);
        Class<?> dataClass = Class.forName(RapaioFrontend.DATA);
        Object data = RapaioFrontend.forTest(kernel, dataClass).data("id-5", SECOND);

        var real = (org.rapaio.jupyter.kernel.display.DisplayData) data;
        assertEquals(Map.of("text/markdown", "**Hello** world", "text/plain", "Hello world"), real.data());
        assertEquals("id-5", real.getDisplayId());
        assertTrue(kernel.getClass().getMethod("updateDisplay", dataClass) != null);
    }
}
