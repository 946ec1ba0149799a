package io.github.spencerpark.ijava;

import io.github.spencerpark.jupyter.kernel.BaseKernel;

/**
 * Stands in for IJava's entry class, which is not on Maven Central: the same static accessor
 * helios4j looks up, returning a kernel built on the real base-kernel library.
 */
public final class IJava {
    public static volatile BaseKernel kernel;

    private IJava() {
    }

    public static BaseKernel getKernelInstance() {
        return kernel;
    }
}
