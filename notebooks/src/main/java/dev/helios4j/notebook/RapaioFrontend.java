package dev.helios4j.notebook;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Displays through rapaio-jupyter-kernel. Its {@code Global.display(mime, obj)} renders an object
 * into one mime type only; to send Markdown with its plain twin this builds rapaio's
 * {@code DisplayData} itself and hands it to {@code MainApp.kernel.display}/{@code updateDisplay},
 * which is what {@code Global} does after rendering.
 */
final class RapaioFrontend implements Frontend {
    static final String MAIN = "org.rapaio.jupyter.kernel.MainApp";
    static final String DATA = "org.rapaio.jupyter.kernel.display.DisplayData";

    private final Object kernel;
    private final Method display;
    private final Method update;
    private final Method withType;
    private final Method putData;
    private final Method setDisplayId;

    private RapaioFrontend(Object kernel, Class<?> dataClass) throws ReflectiveOperationException {
        this.kernel = kernel;
        this.display = kernel.getClass().getMethod("display", dataClass);
        this.update = kernel.getClass().getMethod("updateDisplay", dataClass);
        this.withType = dataClass.getMethod("withType", String.class, String.class);
        this.putData = dataClass.getMethod("putData", String.class, Object.class);
        this.setDisplayId = dataClass.getMethod("setDisplayId", String.class);
    }

    /**
     * @return a front end when rapaio's kernel runs in this JVM and is connected to Jupyter;
     *     null otherwise
     */
    static RapaioFrontend find(ClassLoader loader) {
        try {
            Class<?> main = Class.forName(MAIN, true, loader);
            Object kernel = main.getField("kernel").get(null);
            if (kernel == null || kernel.getClass().getMethod("channels").invoke(kernel) == null) {
                return null; // the class is on the classpath, but no kernel is serving a notebook
            }
            RapaioFrontend f = new RapaioFrontend(kernel, Class.forName(DATA, false, main.getClassLoader()));
            StopGuard.watch(kernel);
            return f;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Builds rapaio's display data for an output; package-private for tests on the real class. */
    Object data(String displayId, Output output) throws ReflectiveOperationException {
        Object data = withType.invoke(null, output.richMime(), output.rich());
        for (Map.Entry<String, String> e : output.bundle().entrySet()) {
            putData.invoke(data, e.getKey(), e.getValue());
        }
        setDisplayId.invoke(data, displayId);
        return data;
    }

    static RapaioFrontend forTest(Object kernel, Class<?> dataClass) throws ReflectiveOperationException {
        return new RapaioFrontend(kernel, dataClass);
    }

    @Override
    public String name() {
        return "rapaio";
    }

    @Override
    public void display(String displayId, Output output) {
        call(display, displayId, output);
    }

    @Override
    public void update(String displayId, Output output) {
        call(update, displayId, output);
    }

    private void call(Method method, String displayId, Output output) {
        try {
            method.invoke(kernel, data(displayId, output));
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            throw new IllegalStateException("helios4j could not show an output in the rapaio kernel (" + cause
                    + "). Notebook.useStdout(true) prints answers as text instead.", cause);
        }
    }
}
