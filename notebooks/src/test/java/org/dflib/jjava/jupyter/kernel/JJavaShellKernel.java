package org.dflib.jjava.jupyter.kernel;

import dev.helios4j.notebook.shell.CellShell;
import java.util.Map;
import jdk.jshell.JShell;
import org.dflib.jjava.jupyter.channels.RecordingShellEnvironment;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

/**
 * JJava 1.0-a6 running cells: the library's real {@code BaseKernel.handleExecuteRequest} (busy,
 * execute_input, attach the cell's streams, evaluate, on failure publish the error, then the
 * deferred reply, detach and idle) around {@link CellShell}, which evaluates and stops cells as
 * jjava-kernel's {@code JavaKernel} does ({@code getJShell()}, {@code interrupt()}).
 */
public final class JJavaShellKernel extends StandInKernel implements AutoCloseable {
    private final CellShell shell = new CellShell();

    public JJavaShellKernel() {
        super(null);
    }

    public JShell getJShell() {
        return shell.getJShell();
    }

    /**
     * Runs one execute request on the calling thread, which plays the kernel's shell thread, and
     * resolves its deferrals as the shell channel does after the handler returns.
     */
    public void execute(RecordingShellEnvironment env, String code) {
        handleExecuteRequest(env, new Message<>(null, MessageType.EXECUTE_REQUEST,
                new ExecuteRequest(code, false, true, Map.of(), false, true)));
        env.resolveDeferrals();
    }

    @Override
    public void interrupt() {
        shell.interrupt();
    }

    @Override
    public Object evalRaw(String expr) {
        return shell.eval(expr);
    }


    public JJavaShellKernel install() {
        installNotebookKernel();
        return this;
    }

    @Override
    public void close() {
        uninstallNotebookKernel();
        shell.close();
    }
}
