package org.dflib.jjava.jupyter.kernel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dflib.jjava.jupyter.channels.RecordingShellEnvironment;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * A real JJava 1.0-a6 kernel minus the Java evaluator: display goes through the library's own
 * {@code BaseKernel}, {@code JupyterIO} and {@code DisplayStream} into a recording environment.
 */
public final class JJavaTestKernel extends BaseKernel {
    public final RecordingShellEnvironment env = new RecordingShellEnvironment();

    public JJavaTestKernel() {
        super("test", "1.0", new LanguageInfo("java", "17", "text/x-java", ".java", "java", "java", "java"), List.of(),
                null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null,
                new MagicsRegistry(), false, new StringStyler.Builder().build());
        getIO().setEnv(env); // what the kernel does when a cell starts
    }

    /** Makes this the kernel {@code BaseKernel.notebookKernel()} returns, as JJava does on start. */
    public JJavaTestKernel install() {
        installNotebookKernel();
        return this;
    }

    public void uninstall() {
        uninstallNotebookKernel();
    }

    @Override
    public Object evalRaw(String expr) {
        throw new UnsupportedOperationException();
    }

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return null;
    }

    @Override
    public ReplacementOptions complete(String code, int at) {
        return null;
    }

    @Override
    public String isComplete(String code) {
        return IS_COMPLETE_YES;
    }
}
