package io.github.spencerpark.jupyter.kernel;

import dev.helios4j.notebook.shell.CellShell;
import io.github.spencerpark.jupyter.channels.RecordingShellEnvironment;
import io.github.spencerpark.jupyter.channels.ShellReplyEnvironment;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.request.ExecuteRequest;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * IJava 1.3.0 running cells: the real {@code BaseKernel.handleExecuteRequest} of
 * jupyter-jvm-basekernel 2.3.0 around {@link CellShell}, kept where IJava's {@code JavaKernel}
 * keeps its evaluator: a private field {@code evaluator} whose {@code getShell()} is the JShell.
 */
public final class IJavaShellKernel extends BaseKernel implements AutoCloseable {
    private final CellShell evaluator = new CellShell();

    /**
     * Runs one execute request on the calling thread (the kernel's shell thread) through the
     * library's private handler, then resolves its deferrals as the shell channel does.
     */
    public void execute(RecordingShellEnvironment env, String code) {
        try {
            Method handler = BaseKernel.class.getDeclaredMethod("handleExecuteRequest", ShellReplyEnvironment.class, Message.class);
            handler.setAccessible(true);
            handler.invoke(this, env, new Message<>(null, MessageType.EXECUTE_REQUEST,
                    new ExecuteRequest(code, false, true, Map.of(), false, true)));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        env.resolveDeferrals();
    }

    @Override
    public void interrupt() {
        evaluator.interrupt();
    }

    @Override
    public DisplayData eval(String expr) {
        evaluator.eval(expr);
        return null;
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo.Builder("java").build();
    }

    @Override
    public void close() {
        evaluator.close();
    }
}
