package dev.helios4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A module's public API as text, compared with the committed {@code api/<module>.txt} at the root
 * of the tree, so that every change to the API is a visible diff in review.
 *
 * <p>Each module has a test that calls {@link #check(String)}. It reads the module's compiled
 * classes ({@code target/classes}) by reflection and lists every public or protected type outside
 * packages named {@code internal}, and each of its own public or protected constructors, methods
 * and fields, one line each. The text is built from the class files alone (no
 * {@code Type.toString}, whose form differs between JDKs), so it is the same on every JDK.
 * With {@code -Dapi.update=true} the check rewrites the file instead of comparing.
 */
public final class ApiFile {

    /** The system property that makes {@link #check(String)} rewrite the file. */
    public static final String UPDATE = "api.update";

    private ApiFile() {
    }

    /**
     * Compares the API of the module whose tests run in the working directory with
     * {@code ../api/<module>.txt}, or rewrites that file under {@code -Dapi.update=true}.
     *
     * @param module the module's directory name, e.g. {@code providers-local}
     */
    public static void check(String module) {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        Path file = Path.of("..", "api", module + ".txt").toAbsolutePath().normalize();
        String expected = header(module) + String.join("\n", render(classes)) + "\n";
        try {
            if (Boolean.getBoolean(UPDATE)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, expected, StandardCharsets.UTF_8);
                return;
            }
            String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (!actual.equals(expected)) {
                throw new AssertionError(difference(module, file, actual, expected));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write " + file, e);
        }
    }

    static String header(String module) {
        return "# The public API of " + module + ": every public or protected type and its own public or\n"
                + "# protected members, one a line. Packages named 'internal' are not API and are left out.\n"
                + "# Written by " + ApiFile.class.getName() + ": after a deliberate API change run\n"
                + "#   " + updateCommand(module) + "\n"
                + "# and commit this file with the change.\n";
    }

    static String updateCommand(String module) {
        return "mvn -B -ntp -pl " + module + " -am verify -Dapi.update=true"
                + " -Dtest=ApiFileTest -Dsurefire.failIfNoSpecifiedTests=false";
    }

    private static String difference(String module, Path file, String actual, String expected) {
        Set<String> was = lines(actual);
        Set<String> now = lines(expected);
        StringBuilder out = new StringBuilder("The public API of " + module + " differs from " + file + ".\n");
        if (actual.isEmpty()) {
            out.append("The file is missing or empty.\n");
        }
        for (String line : was) {
            if (!now.contains(line)) {
                out.append("- ").append(line).append('\n');
            }
        }
        for (String line : now) {
            if (!was.contains(line)) {
                out.append("+ ").append(line).append('\n');
            }
        }
        out.append("If the change is meant, rewrite the file and commit it with the change:\n  ")
                .append(updateCommand(module));
        return out.toString();
    }

    private static Set<String> lines(String text) {
        return text.lines().filter(l -> !l.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The API lines of the classes under {@code classes}, types sorted by name, each followed by its
     * members sorted.
     *
     * @param classes a compiled class tree such as {@code target/classes}
     * @return one line per type and per member
     */
    public static List<String> render(Path classes) {
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> classes.relativize(p).toString().replace('\\', '/'))
                    .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + classes + " (compile the module first)", e);
        }
        List<String> out = new ArrayList<>();
        ClassLoader loader = ApiFile.class.getClassLoader();
        for (String name : names) {
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new AssertionError("Cannot load " + name + " from " + classes + ": " + e, e);
            }
            if (isApi(type)) {
                out.addAll(typeLines(type));
            }
        }
        return out;
    }

    private static boolean isApi(Class<?> type) {
        for (String part : type.getPackageName().split("\\.")) {
            if (part.equals("internal")) {
                return false;
            }
        }
        if (type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) {
            return false;
        }
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!visible(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static List<String> typeLines(Class<?> type) {
        String prefix = type.getName() + ": ";
        List<String> members = new ArrayList<>();
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c.getModifiers()) && !c.isSynthetic()) {
                members.add(prefix + "constructor " + modifiers(c.getModifiers(), false) + typeParameters(c)
                        + type.getSimpleName() + parameters(c) + exceptions(c));
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()) {
                int mods = m.getModifiers();
                if (type.isInterface()) {
                    mods &= ~Modifier.ABSTRACT;
                }
                members.add(prefix + "method " + modifiers(mods, m.isDefault()) + typeParameters(m)
                        + name(m.getGenericReturnType()) + " " + m.getName() + parameters(m) + exceptions(m));
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f.getModifiers()) && !f.isSynthetic()) {
                String kind = f.isEnumConstant() ? "constant " : "field ";
                members.add(prefix + kind + modifiers(f.getModifiers(), false) + name(f.getGenericType()) + " "
                        + f.getName());
            }
        }
        members.sort(null);
        List<String> lines = new ArrayList<>();
        lines.add(prefix + typeDeclaration(type));
        lines.addAll(members);
        return lines;
    }

    private static String typeDeclaration(Class<?> type) {
        int mods = type.getModifiers();
        String kind;
        if (type.isAnnotation()) {
            kind = "@interface";
            mods &= ~(Modifier.ABSTRACT | Modifier.INTERFACE | Modifier.STATIC);
        } else if (type.isInterface()) {
            kind = "interface";
            mods &= ~(Modifier.ABSTRACT | Modifier.INTERFACE | Modifier.STATIC);
        } else if (type.isEnum()) {
            kind = "enum";
            mods &= ~(Modifier.FINAL | Modifier.STATIC | Modifier.ABSTRACT);
        } else if (type.isRecord()) {
            kind = "record";
            mods &= ~(Modifier.FINAL | Modifier.STATIC);
        } else {
            kind = "class";
        }
        StringBuilder out = new StringBuilder("type ").append(modifiers(mods, false));
        if (type.isSealed()) {
            out.append("sealed ");
        }
        out.append(kind).append(typeParameters(type.getTypeParameters()));
        Type superclass = type.getGenericSuperclass();
        if (kind.equals("class") && superclass != null && superclass != Object.class) {
            out.append(" extends ").append(name(superclass));
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0 && !type.isAnnotation()) {
            out.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(ApiFile::name).collect(Collectors.joining(", ")));
        }
        return out.toString();
    }

    private static String modifiers(int mods, boolean isDefault) {
        int kept = mods & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL
                | Modifier.ABSTRACT);
        String text = Modifier.toString(kept);
        if (isDefault) {
            text = text.isEmpty() ? "default" : text + " default";
        }
        return text.isEmpty() ? "" : text + " ";
    }

    private static String typeParameters(Executable e) {
        String text = typeParameters(e.getTypeParameters());
        return text.isEmpty() ? "" : text + " ";
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (TypeVariable<?> v : variables) {
            List<String> bounds = Arrays.stream(v.getBounds()).filter(b -> b != Object.class)
                    .map(ApiFile::name).collect(Collectors.toList());
            parts.add(bounds.isEmpty() ? v.getName() : v.getName() + " extends " + String.join(" & ", bounds));
        }
        return "<" + String.join(", ", parts) + ">";
    }

    private static String parameters(Executable e) {
        Type[] types = e.getGenericParameterTypes();
        // Inner-class constructors and enum constructors may omit synthetic parameters from the generic
        // signature; the raw types are then the truth.
        if (types.length != e.getParameterCount()) {
            types = e.getParameterTypes();
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            String text = name(types[i]);
            if (e.isVarArgs() && i == types.length - 1 && text.endsWith("[]")) {
                text = text.substring(0, text.length() - 2) + "...";
            }
            parts.add(text);
        }
        return "(" + String.join(", ", parts) + ")";
    }

    private static String exceptions(Executable e) {
        Type[] types = e.getGenericExceptionTypes();
        if (types.length == 0) {
            return "";
        }
        return " throws " + Arrays.stream(types).map(ApiFile::name).sorted().collect(Collectors.joining(", "));
    }

    static String name(Type type) {
        if (type instanceof Class<?> c) {
            return c.isArray() ? name(c.getComponentType()) + "[]" : c.getName();
        }
        if (type instanceof ParameterizedType p) {
            return name(p.getRawType()) + Arrays.stream(p.getActualTypeArguments()).map(ApiFile::name)
                    .collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof GenericArrayType g) {
            return name(g.getGenericComponentType()) + "[]";
        }
        if (type instanceof WildcardType w) {
            if (w.getLowerBounds().length > 0) {
                return "? super " + name(w.getLowerBounds()[0]);
            }
            Type[] upper = w.getUpperBounds();
            return upper.length == 0 || upper[0] == Object.class ? "?" : "? extends " + name(upper[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return v.getName();
        }
        throw new IllegalArgumentException("Unknown kind of type: " + type.getClass());
    }
}
