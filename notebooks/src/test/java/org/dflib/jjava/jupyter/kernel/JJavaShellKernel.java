package org.dflib.jjava.jupyter.kernel;

import dev.helios4j.notebook.shell.CellShell;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import jdk.jshell.JShell;
import org.dflib.jjava.jupyter.channels.RecordingShellEnvironment;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

/**
 * JJava 1.0-a6 running cells: the library's real {@code BaseKernel.handleExecuteRequest} (busy,
 * execute_input, attach the cell's streams, evaluate, on failure publish the error, then the
 * deferred reply, detach and idle) around {@link CellShell}, which evaluates and stops cells as
 * jjava-kernel's {@code JavaKernel} does ({@code getJShell()}, {@code interrupt()}).
 */
public final class JJavaShellKernel extends BaseKernel implements AutoCloseable {
    private final CellShell shell = new CellShell();

    public JJavaShellKernel() {
        super("test", "1.0", new LanguageInfo("java", "17", "text/x-java", ".java", "java", "java", "java"), List.of(),
                null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), null,
                new MagicsRegistry(), false, new StringStyler.Builder().build());
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
