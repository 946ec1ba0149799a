package dev.helios4j.notebook;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the notebook kernel this JVM runs in, by reflection only: helios4j ships no kernel class,
 * so one jar serves every kernel and JShell alike.
 *
 * <p>Order: JJava 1.0-a6 and later, older JJava, IJava, rapaio; the newest first, since a JJava
 * kernel may also carry the older classes. The answer is kept in {@link NotebookState#kernel} for
 * the JVM's life, since a notebook session has one kernel and it does not change under a running
 * session; the switch that forces stdout is kept there too, so a setting made in one cell holds in
 * the next, and is checked on every call.
 */
final class Kernels {
    static final String JJAVA_KERNEL = "org.dflib.jjava.jupyter.kernel.BaseKernel";
    static final String JJAVA_OLD = "org.dflib.jjava.JJava";
    static final String IJAVA = "io.github.spencerpark.ijava.IJava";

    private Kernels() {
    }

    /** @return the kernel to display in, or empty to print on stdout */
    static Optional<Frontend> current() {
        if (NotebookState.forceStdout) {
            return Optional.empty();
        }
        Optional<Frontend> d = NotebookState.kernel;
        if (d == null) {
            d = detect(loaders());
            NotebookState.kernel = d;
        }
        return d;
    }

    static void forceStdout(boolean force) {
        NotebookState.forceStdout = force;
    }

    /** Forgets the cached kernel; for tests that stand a kernel up and take it down. */
    static void forget() {
        NotebookState.kernel = null;
    }

    /**
     * The helper's own loader first: with helios4j on the kernel's classpath or added by
     * {@code %jars}, it sees the kernel's classes through its parents. Then the context loader,
     * for hosts that load helios4j somewhere the kernel's classes are not visible from.
     */
    private static List<ClassLoader> loaders() {
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(Kernels.class.getClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != loaders.get(0)) {
            loaders.add(context);
        }
        return loaders;
    }

    static Optional<Frontend> detect(List<ClassLoader> loaders) {
        for (ClassLoader loader : loaders) {
            Frontend f = detect(loader);
            if (f != null) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    private static Frontend detect(ClassLoader loader) {
        Frontend f = baseKernel("JJava", loader, JJAVA_KERNEL, "notebookKernel");
        if (f == null) {
            f = baseKernel("JJava", loader, JJAVA_OLD, "getKernelInstance");
        }
        if (f == null) {
            f = baseKernel("IJava", loader, IJAVA, "getKernelInstance");
        }
        if (f == null) {
            f = RapaioFrontend.find(loader);
        }
        return f;
    }

    private static Frontend baseKernel(String name, ClassLoader loader, String className, String accessor) {
        Object kernel = callStatic(loader, className, accessor);
        Frontend f = kernel == null ? null : BaseKernelFrontend.of(name, kernel);
        if (f != null) {
            StopGuard.watch(kernel);
        }
        return f;
    }

    /** @return what the static no-argument method returns, or null when it is absent or fails */
    private static Object callStatic(ClassLoader loader, String className, String method) {
        try {
            Class<?> c = Class.forName(className, true, loader);
            return c.getMethod(method).invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
