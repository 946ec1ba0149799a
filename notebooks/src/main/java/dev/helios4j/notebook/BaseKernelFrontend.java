package dev.helios4j.notebook;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Displays through a kernel built on the Jupyter JVM base kernel: JJava (new and old) and IJava.
 * All three share the shape {@code kernel.display(DisplayData)} and
 * {@code kernel.getIO().display.updateDisplay(id, DisplayData)}; only the package differs, so the
 * {@code DisplayData} class is taken from the kernel's own {@code display} method.
 *
 * <p>The mime bundle is built directly rather than through the kernel's renderer, which knows no
 * helios4j type and would send only {@code text/plain}.
 */
final class BaseKernelFrontend implements Frontend {
    private final String name;
    private final Object kernel;
    private final Method display;
    private final Method getIO;
    private final Constructor<?> newData;
    private final Method putData;
    private final Method setDisplayId;

    private BaseKernelFrontend(String name, Object kernel) throws ReflectiveOperationException {
        this.name = name;
        this.kernel = kernel;
        this.display = displayMethod(kernel.getClass());
        Class<?> dataClass = display.getParameterTypes()[0];
        this.getIO = kernel.getClass().getMethod("getIO");
        this.newData = dataClass.getConstructor();
        this.putData = dataClass.getMethod("putData", String.class, Object.class);
        this.setDisplayId = dataClass.getMethod("setDisplayId", String.class);
    }

    /** @return a front end for {@code kernel}, or null when it lacks the methods this needs */
    static BaseKernelFrontend of(String name, Object kernel) {
        try {
            return new BaseKernelFrontend(name, kernel);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Method displayMethod(Class<?> kernelClass) throws NoSuchMethodException {
        for (Method m : kernelClass.getMethods()) {
            if (m.getName().equals("display") && m.getParameterCount() == 1
                    && m.getParameterTypes()[0].getSimpleName().equals("DisplayData")) {
                return m;
            }
        }
        throw new NoSuchMethodException(kernelClass.getName() + ".display(DisplayData)");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void display(String displayId, Output output) {
        try {
            display.invoke(kernel, data(displayId, output));
        } catch (ReflectiveOperationException e) {
            throw failure("display", e);
        }
    }

    @Override
    public void update(String displayId, Output output) {
        try {
            Object io = getIO.invoke(kernel);
            Field streamField = io.getClass().getField("display");
            Object stream = streamField.get(io);
            Method update = stream.getClass().getMethod("updateDisplay", String.class, display.getParameterTypes()[0]);
            update.invoke(stream, displayId, data(displayId, output));
        } catch (ReflectiveOperationException e) {
            throw failure("update", e);
        }
    }

    private Object data(String displayId, Output output) throws ReflectiveOperationException {
        Object data = newData.newInstance();
        for (Map.Entry<String, String> e : output.bundle().entrySet()) {
            putData.invoke(data, e.getKey(), e.getValue());
        }
        setDisplayId.invoke(data, displayId);
        return data;
    }

    private IllegalStateException failure(String what, ReflectiveOperationException e) {
        Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
        return new IllegalStateException("helios4j could not " + what + " an output in the " + name + " kernel (" + cause
                + "). Notebook.useStdout(true) prints answers as text instead.", cause);
    }
}
