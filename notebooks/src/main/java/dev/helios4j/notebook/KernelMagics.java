package dev.helios4j.notebook;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Registers {@code %%llm} and {@code %llm} in the kernel this JVM runs in, by reflection only:
 * helios4j's jars hold no kernel class, so each magic is a {@link Proxy} of the kernel's own magic
 * interface, and notebook variables are read through the kernel's {@code evalRaw(String)}.
 *
 * <p>The kernels differ only in names: IJava's {@code getMagics()} takes
 * {@code LineMagicFunction.execute(List)} and {@code CellMagicFunction.execute(List, String)};
 * JJava 1.0-a6's {@code getMagicsRegistry()} takes {@code LineMagic.eval(kernel, List)} and
 * {@code CellMagic.eval(kernel, List, String)}. So the interface is read off the registry's
 * {@code registerLineMagic}/{@code registerCellMagic} methods and a call is matched by argument
 * type: the list is the arguments, a trailing string the cell's body.
 *
 * <p>JJava also installs extensions found in a jar's services when the jar is added with
 * {@code %classpath}; that needs a class implementing its {@code Extension} interface, which cannot
 * be written without compiling against the kernel, so helios4j does not ship one:
 * {@link Notebook#magics()} is the way in every kernel.
 */
final class KernelMagics {
    /** The session registered last, kept in {@link NotebookState#MAGICS}. */
    private static final AtomicReference<LlmMagic> SESSION = NotebookState.MAGICS;
    private static final String ASK_INSTEAD = "ask with Notebook.chat(llm, \"…\") or Notebook.stream(llm, request) instead.";

    private KernelMagics() {
    }

    /** @return one line saying where the magics were registered, or why not and what to do */
    static String install() {
        return install(loaders());
    }

    static String install(List<ClassLoader> loaders) {
        for (ClassLoader loader : loaders) {
            String said = installIn(loader);
            if (said != null) {
                return said;
            }
        }
        return "helios4j: no notebook kernel with magics here (%%llm needs IJava or JJava); " + ASK_INSTEAD;
    }

    /** @return what was done in the kernel this loader sees, or null when it sees none */
    private static String installIn(ClassLoader loader) {
        String[][] kernels = {
            {"JJava", Kernels.JJAVA_KERNEL, "notebookKernel"},
            {"JJava", Kernels.JJAVA_OLD, "getKernelInstance"},
            {"IJava", Kernels.IJAVA, "getKernelInstance"},
        };
        for (String[] k : kernels) {
            Object kernel = callStatic(loader, k[1], k[2]);
            if (kernel != null) {
                return register(k[0], kernel);
            }
        }
        if (RapaioFrontend.find(loader) != null) {
            return "helios4j: the rapaio kernel offers no way to add magics, so %%llm is not available there; " + ASK_INSTEAD;
        }
        return null;
    }

    /** Registers both magics in a base-kernel registry; package-private for the tests' kernels. */
    static String register(String kernelName, Object kernel) {
        Object registry = firstResult(kernel, "getMagicsRegistry", "getMagics");
        Method register = registry == null ? null : registerMethod(registry.getClass(), "registerLineMagic");
        Method registerCell = registry == null ? null : registerMethod(registry.getClass(), "registerCellMagic");
        if (register == null || registerCell == null) {
            return "helios4j: this " + kernelName + " kernel has no magic registry helios4j knows, so %%llm is not available; "
                    + ASK_INSTEAD;
        }
        LlmMagic magic = new LlmMagic(variables(kernel));
        try {
            register.invoke(registry, LlmMagic.NAME, proxy(register.getParameterTypes()[1], magic, false));
            registerCell.invoke(registry, LlmMagic.NAME, proxy(registerCell.getParameterTypes()[1], magic, true));
            LlmMagic previous = SESSION.getAndSet(magic);
            if (previous != null) {
                previous.close();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
            return "helios4j: could not register %%llm in the " + kernelName + " kernel (" + cause + "); " + ASK_INSTEAD;
        }
        return "helios4j: %%llm and %llm are ready in " + kernelName + "; " + LlmMagic.HELP_LINE + ".";
    }

    /** @return the session registered last, or null; for tests */
    static LlmMagic session() {
        return SESSION.get();
    }

    /** Closes the clients of the session registered last; for tests that end a kernel. */
    static void closeSession() {
        LlmMagic previous = SESSION.getAndSet(null);
        if (previous != null) {
            previous.close();
        }
    }

    /** Reads a variable by evaluating its name in the kernel's shell, as the kernels' own {@code eval} helpers do. */
    private static PromptTemplate.Variables variables(Object kernel) {
        Method evalRaw;
        try {
            evalRaw = kernel.getClass().getMethod("evalRaw", String.class);
        } catch (NoSuchMethodException e) {
            return name -> {
                throw new IllegalStateException("this kernel cannot evaluate code for helios4j");
            };
        }
        return name -> {
            try {
                return evalRaw.invoke(kernel, name);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        };
    }

    private static Object proxy(Class<?> magicInterface, LlmMagic magic, boolean cell) {
        if (!magicInterface.isInterface()) {
            throw new IllegalArgumentException(magicInterface.getName() + " is not an interface");
        }
        InvocationHandler handler = (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> "helios4j %" + (cell ? "%" : "") + LlmMagic.NAME;
                };
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(self, method, args);
            }
            List<String> magicArgs = argumentList(args);
            if (cell) {
                Object body = args[args.length - 1];
                magic.cell(magicArgs, body instanceof String s ? s : "");
            } else {
                magic.line(magicArgs);
            }
            return null;
        };
        return Proxy.newProxyInstance(magicInterface.getClassLoader(), new Class<?>[] {magicInterface}, handler);
    }

    private static List<String> argumentList(Object[] args) {
        List<String> out = new ArrayList<>();
        for (Object a : args == null ? new Object[0] : args) {
            if (a instanceof List<?> list) {
                for (Object o : list) {
                    out.add(String.valueOf(o));
                }
                return out;
            }
        }
        return out;
    }

    /** @return {@code register*(String, SomeMagicInterface)}, or null */
    private static Method registerMethod(Class<?> registryClass, String name) {
        for (Method m : registryClass.getMethods()) {
            Class<?>[] p = m.getParameterTypes();
            if (m.getName().equals(name) && p.length == 2 && p[0] == String.class && p[1].isInterface()
                    && !Modifier.isStatic(m.getModifiers())) {
                return m;
            }
        }
        return null;
    }

    private static Object firstResult(Object target, String... methods) {
        for (String name : methods) {
            try {
                Object result = target.getClass().getMethod(name).invoke(target);
                if (result != null) {
                    return result;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this kernel's accessor; try the next
            }
        }
        return null;
    }

    private static Object callStatic(ClassLoader loader, String className, String method) {
        try {
            return Class.forName(className, true, loader).getMethod(method).invoke(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static List<ClassLoader> loaders() {
        List<ClassLoader> loaders = new ArrayList<>();
        loaders.add(KernelMagics.class.getClassLoader());
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null && context != loaders.get(0)) {
            loaders.add(context);
        }
        return loaders;
    }
}
