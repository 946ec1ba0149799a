package org.dflib.jjava.jupyter.kernel;

import org.dflib.jjava.jupyter.channels.RecordingShellEnvironment;

/**
 * A real JJava 1.0-a6 kernel minus the Java evaluator: display goes through the library's own
 * {@code BaseKernel}, {@code JupyterIO} and {@code DisplayStream} into a recording environment.
 */
public final class JJavaTestKernel extends StandInKernel {
    public final RecordingShellEnvironment env = new RecordingShellEnvironment();

    public JJavaTestKernel() {
        super(null);
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

}
