package dev.helios4j.notebook.shell;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.SnippetEvent;
import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/**
 * How IJava 1.3.0 and JJava 1.0-a6 evaluate a cell, for tests: a real JShell whose execution
 * control runs each snippet on an executor thread while the calling (shell) thread waits on its
 * future; {@link #interrupt()} is their stop: {@code future.cancel(true)}, after which the waiting
 * thread reports the snippet as failed with "Execution Interrupted" and the kernel turns that into
 * "Evaluation interrupted.". A stand-in, written from those kernels' sources, because their
 * evaluators (IJava, jjava-kernel) are not on Maven Central; the kernel around it is the real
 * library.
 */
public final class CellShell implements AutoCloseable {
    /** The exception "class name" both kernels give an interrupted snippet. */
    public static final String INTERRUPTED = "Execution Interrupted";
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Control control = new Control();
    private final JShell shell;

    public CellShell() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        this.shell = JShell.builder().out(quiet).err(quiet).executionEngine(new ExecutionControlProvider() {
            @Override
            public String name() {
                return "cell-shell";
            }

            @Override
            public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                return control;
            }
        }, Map.of()).build();
    }

    /** What JJava's {@code JavaKernel.getJShell()} returns. */
    public JShell getJShell() {
        return shell;
    }

    /** What IJava's {@code CodeEvaluator.getShell()} returns. */
    public JShell getShell() {
        return shell;
    }

    /**
     * Evaluates a cell as the kernels' evaluators do.
     *
     * @throws EvaluationInterruptedException when the cell was stopped
     */
    public Object eval(String code) {
        List<SnippetEvent> events = shell.eval(code);
        for (SnippetEvent event : events) {
            JShellException e = event.causeSnippet() == null ? event.exception() : null;
            if (e instanceof EvalException ee && INTERRUPTED.equals(ee.getExceptionClassName())) {
                throw new EvaluationInterruptedException(code.trim());
            } else if (e != null) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return null;
    }

    /** The stop button: cancels the running snippets' futures, interrupting their thread. */
    public void interrupt() {
        control.running.values().forEach(f -> f.cancel(true));
    }

    @Override
    public void close() {
        shell.close();
        control.executor.shutdownNow();
    }

    /** As the kernels name it; its message is the "Evaluation interrupted." users see. */
    public static final class EvaluationInterruptedException extends RuntimeException {
        public EvaluationInterruptedException(String code) {
            super("Evaluation interrupted.\n" + code);
        }
    }

    private static final class Control extends DirectExecutionControl {
        final ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "cell-executor-" + THREADS.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        final Map<String, Future<Object>> running = new ConcurrentHashMap<>();

        Control() {
            super(new Loader());
        }

        @Override
        protected String invoke(Method doit) throws Exception {
            String id = UUID.randomUUID().toString();
            Future<Object> future = executor.submit(() -> doit.invoke(null));
            running.put(id, future);
            try {
                return valueString(future.get());
            } catch (CancellationException e) {
                throw new UserException("Execution interrupted.", INTERRUPTED, e.getStackTrace());
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
                throw new UserException(String.valueOf(cause.getMessage()), cause.getClass().getName(), cause.getStackTrace());
            } finally {
                running.remove(id);
            }
        }
    }

    /** Defines the snippets' classes in a loader of their own, over the test's class loader. */
    private static final class Loader implements LoaderDelegate {
        private final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
        private final ClassLoader loader = new ClassLoader(CellShell.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = bytes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };

        @Override
        public void load(ExecutionControl.ClassBytecodes[] cbcs) throws ExecutionControl.ClassInstallException {
            for (ExecutionControl.ClassBytecodes c : cbcs) {
                bytes.put(c.name(), c.bytecodes());
            }
            boolean[] loaded = new boolean[cbcs.length];
            for (int i = 0; i < cbcs.length; i++) {
                try {
                    loader.loadClass(cbcs[i].name());
                    loaded[i] = true;
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new ExecutionControl.ClassInstallException("could not load " + cbcs[i].name() + ": " + e, loaded);
                }
            }
        }

        @Override
        public void classesRedefined(ExecutionControl.ClassBytecodes[] cbcs) {
            for (ExecutionControl.ClassBytecodes c : cbcs) {
                bytes.put(c.name(), c.bytecodes());
            }
        }

        @Override
        public void addToClasspath(String path) throws ExecutionControl.InternalException {
            throw new ExecutionControl.InternalException("no class path in this test shell");
        }

        @Override
        public Class<?> findClass(String name) throws ClassNotFoundException {
            return loader.loadClass(name);
        }
    }
}
