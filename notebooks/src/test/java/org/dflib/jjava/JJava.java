package org.dflib.jjava;

import org.dflib.jjava.jupyter.kernel.BaseKernel;

/**
 * Stands in for the entry class of JJava before 1.0-a6 (not on Maven Central), which exposed its
 * kernel as {@code JJava.getKernelInstance()} rather than {@code BaseKernel.notebookKernel()}.
 */
public final class JJava {
    public static volatile BaseKernel kernel;

    private JJava() {
    }

    public static BaseKernel getKernelInstance() {
        return kernel;
    }
}
