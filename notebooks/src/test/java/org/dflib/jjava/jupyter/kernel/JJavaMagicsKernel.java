package org.dflib.jjava.jupyter.kernel;

import dev.helios4j.notebook.LocalShell;
import dev.helios4j.notebook.MagicKernel;
import java.util.List;
import org.dflib.jjava.jupyter.channels.RecordingShellEnvironment;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.messages.publish.PublishUpdateDisplayData;

/**
 * JJava 1.0-a6's kernel as far as magics go, all from the real jjava-jupyter library: its
 * {@code MagicParser} with the patterns JJava's kernel builder gives it, its {@code MagicTranspiler}
 * turning a magic into a call of {@code BaseNotebookStatics.cellMagic}/{@code lineMagic}, and its
 * {@code MagicsRegistry}. Only the evaluator is a stand-in, a real JShell (see {@link LocalShell}),
 * because JJava's kernel jar is not on Maven Central. {@code evalRaw} is JJava's own: resolve the
 * magics, then evaluate.
 */
public final class JJavaMagicsKernel extends StandInKernel implements MagicKernel {
    public final RecordingShellEnvironment env = new RecordingShellEnvironment();
    private final LocalShell shell = new LocalShell();

    public JJavaMagicsKernel() {
        super(new MagicParser("(?<=(?:^|=))\\s*%", "%%", new MagicTranspiler()));
        getIO().setEnv(env);
    }

    @Override
    public void activate() {
        installNotebookKernel();
    }

    @Override
    public void deactivate() {
        uninstallNotebookKernel();
    }

    @Override
    public void clearOutputs() {
        env.published.clear();
    }

    @Override
    public Object evalRaw(String source) {
        return shell.value(magicParser.resolveMagics(source));
    }

    @Override
    public void run(String cell) {
        shell.run(magicParser.resolveMagics(cell));
    }

    @Override
    public List<Shown> outputs() {
        return env.published.stream().map(o -> {
            DisplayData d = (DisplayData) o;
            return new Shown(o instanceof PublishUpdateDisplayData, d.getDisplayId(),
                    (String) d.getData(MIMEType.TEXT_MARKDOWN), (String) d.getData(MIMEType.TEXT_PLAIN));
        }).toList();
    }

    @Override
    public void close() {
        deactivate();
        shell.close();
    }

    @Override
    public String name() {
        return "JJava";
    }

}
