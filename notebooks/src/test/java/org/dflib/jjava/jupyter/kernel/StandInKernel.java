package org.dflib.jjava.jupyter.kernel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.magic.MagicParser;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;

/**
 * What every stand-in for the JJava kernel shares: the real {@code BaseKernel} of jjava-jupyter
 * 1.0-a6 set up for Java, and the editor services (inspect, complete) that no test uses.
 */
abstract class StandInKernel extends BaseKernel {
    /** @param magicParser the kernel's magic parser, or null for a kernel that runs no magics */
    StandInKernel(MagicParser magicParser) {
        super("test", "1.0", new LanguageInfo("java", "17", "text/x-java", ".java", "java", "java", "java"), List.of(),
                null, new JupyterIO(StandardCharsets.UTF_8), new CommManager(), new Renderer(), magicParser,
                new MagicsRegistry(), false, new StringStyler.Builder().build());
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
