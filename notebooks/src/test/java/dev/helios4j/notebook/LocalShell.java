package dev.helios4j.notebook;

import java.io.File;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * A real JShell running in this JVM, standing in for the evaluator of IJava and JJava (whose kernel
 * jars are not on Maven Central): cells are compiled and run by JShell, a magic runs inside the
 * cell's code as the kernels' transpiled magic calls do, and reading a variable is a nested
 * evaluation from inside that cell, as the kernels' {@code evalRaw} is. JShell hands back only a
 * value's text, so an expression's value comes back through {@link #handoff}, where the kernels use
 * their own execution control for it.
 */
public final class LocalShell implements AutoCloseable {
    /** Where an evaluated expression leaves its value; public for JShell's snippets. */
    public static volatile Object handoff;

    private final JShell shell;

    public LocalShell() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        shell = JShell.builder().executionEngine("local").compilerOptions("--class-path", classpath).build();
        for (String entry : classpath.split(File.pathSeparator)) {
            shell.addToClasspath(entry);
        }
    }

    /** Runs a cell's code, statement by statement; fails with JShell's diagnostics or the code's exception. */
    public void run(String code) {
        SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(code);
        while (info.completeness().isComplete()) {
            runOne(info.source());
            info = shell.sourceCodeAnalysis().analyzeCompletion(info.remaining());
        }
        if (info.completeness() != SourceCodeAnalysis.Completeness.EMPTY) {
            throw new IllegalStateException("incomplete source: " + info.remaining());
        }
    }

    /** Evaluates an expression and returns its value, as the kernels' {@code evalRaw} does. */
    public synchronized Object value(String expression) {
        runOne(LocalShell.class.getName() + ".handoff = (Object) (" + expression + ");");
        return handoff;
    }

    private void runOne(String source) {
        for (SnippetEvent e : shell.eval(source)) {
            if (e.status() == Snippet.Status.REJECTED) {
                throw new IllegalArgumentException("JShell rejected `" + source + "`: " + shell.diagnostics(e.snippet())
                        .map(d -> d.getMessage(null)).collect(Collectors.joining("; ")));
            }
            if (e.exception() != null) {
                throw new IllegalStateException("`" + source + "` threw " + e.exception(), e.exception());
            }
        }
    }

    List<String> variables() {
        return shell.variables().map(v -> v.name()).toList();
    }

    @Override
    public void close() {
        shell.close();
    }
}
