package io.github.spencerpark.jupyter.kernel;

import dev.helios4j.notebook.LocalShell;
import dev.helios4j.notebook.MagicKernel;
import io.github.spencerpark.ijava.IJava;
import io.github.spencerpark.jupyter.channels.RecordingShellEnvironment;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.kernel.magic.CellMagicParseContext;
import io.github.spencerpark.jupyter.kernel.magic.MagicParser;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * IJava 1.3.0 as far as magics go, on the real jupyter-jvm-basekernel 2.3.0: the library's
 * {@code MagicParser} with IJava's patterns, its {@code Magics} registry, and a real JShell (see
 * {@link LocalShell}) running the code IJava turns a magic into, a call of a static helper that
 * applies the registered magic (IJava's {@code runtime.Magics}, written again here because IJava
 * is not on Maven Central). Installed as {@code IJava.getKernelInstance()}.
 */
public final class IJavaMagicsKernel extends BaseKernel implements MagicKernel {
    public final RecordingShellEnvironment env = new RecordingShellEnvironment();
    private final MagicParser parser = new MagicParser("(?<=(?:^|=))\\s*%", "%%");
    private final Magics magics = new Magics();
    private final LocalShell shell = new LocalShell();

    public IJavaMagicsKernel() {
        getIO().setEnv(env);
    }

    @Override
    public void activate() {
        IJava.kernel = this;
    }

    @Override
    public void deactivate() {
        IJava.kernel = null;
    }

    @Override
    public void clearOutputs() {
        env.published.clear();
    }

    /** IJava's {@code JavaKernel.getMagics()}. */
    public Magics getMagics() {
        return magics;
    }

    /** IJava's {@code JavaKernel.evalRaw}: magics become Java, then JShell runs it. */
    public Object evalRaw(String source) {
        return shell.value(transform(source));
    }

    @Override
    public void run(String cell) {
        shell.run(transform(cell));
    }

    /** What IJava's {@code runtime.Magics.cellMagic} does; the transformed cell calls it. */
    public static Object cellMagic(String name, List<String> args, String body) {
        try {
            return ((IJavaMagicsKernel) IJava.getKernelInstance()).getMagics().applyCellMagic(name, args, body);
        } catch (Exception e) {
            throw new RuntimeException("Exception occurred while running cell magic '" + name + "': " + e.getMessage(), e);
        }
    }

    /** What IJava's {@code runtime.Magics.lineMagic} does. */
    public static Object lineMagic(String name, List<String> args) {
        try {
            return ((IJavaMagicsKernel) IJava.getKernelInstance()).getMagics().applyLineMagic(name, args);
        } catch (Exception e) {
            throw new RuntimeException("Exception occurred while running line magic '" + name + "': " + e.getMessage(), e);
        }
    }

    private String transform(String source) {
        CellMagicParseContext cell = parser.parseCellMagic(source);
        if (cell != null) {
            return call("cellMagic", cell.getMagicCall().getName(), cell.getMagicCall().getArgs(), cell.getMagicCall().getBody());
        }
        return parser.transformLineMagics(source, ctx -> call("lineMagic", ctx.getMagicCall().getName(), ctx.getMagicCall().getArgs(), null));
    }

    private static String call(String helper, String name, List<String> args, String body) {
        return IJavaMagicsKernel.class.getName() + "." + helper + "(" + literal(name) + ",java.util.List.of("
                + args.stream().map(IJavaMagicsKernel::literal).collect(Collectors.joining(",")) + ")"
                + (body == null ? "" : "," + literal(body)) + ");{};";
    }

    private static String literal(String s) {
        return "new String(java.util.Base64.getDecoder().decode(\"" + Base64.getEncoder().encodeToString(s.getBytes(
                java.nio.charset.StandardCharsets.UTF_8)) + "\"),java.nio.charset.StandardCharsets.UTF_8)";
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
        return "IJava";
    }

    @Override
    public DisplayData eval(String expr) {
        throw new UnsupportedOperationException("cells run through run(String)");
    }

    @Override
    public LanguageInfo getLanguageInfo() {
        return new LanguageInfo.Builder("java").build();
    }
}
