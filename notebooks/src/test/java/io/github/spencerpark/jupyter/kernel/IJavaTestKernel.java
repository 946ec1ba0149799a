package io.github.spencerpark.jupyter.kernel;

import io.github.spencerpark.jupyter.channels.RecordingShellEnvironment;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;

/**
 * A kernel on jupyter-jvm-basekernel 2.3.0, the library IJava's kernel extends, minus the Java
 * evaluator: display goes through the library's own classes into a recording environment.
 */
public final class IJavaTestKernel extends BaseKernel {
    public final RecordingShellEnvironment env = new RecordingShellEnvironment();

    public IJavaTestKernel() {
        getIO().setEnv(env); // what the kernel does when a cell starts
    }

    @Override
    public DisplayData eval(String expr) {
        throw new UnsupportedOperationException();
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo.Builder("java").build();
    }
}
