package dev.helios4j.jshell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * A real JShell, built with the {@code jdk.jshell} API: snippets run in a second JVM, as they do
 * under the launcher, and its output is collected here.
 */
final class ScriptSession implements AutoCloseable {
    /** The .jsh scripts this module ships, beside its pom.xml. */
    static final Path MODULE = Path.of("").toAbsolutePath();

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final JShell shell;

    ScriptSession(List<Path> classpath, String... remoteVmOptions) {
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        shell = JShell.builder().out(out).err(out).remoteVMOptions(remoteVmOptions).build();
        classpath.forEach(p -> shell.addToClasspath(p.toString()));
    }

    /** @return every .jsh file of the module; at least one */
    static List<Path> scripts() throws IOException {
        try (var files = Files.list(MODULE)) {
            List<Path> found = files.filter(p -> p.toString().endsWith(".jsh")).sorted().toList();
            if (found.isEmpty()) {
                throw new IllegalStateException("no .jsh script in " + MODULE);
            }
            return found;
        }
    }

    /**
     * Splits the source into snippets as the JShell tool does and evaluates each one.
     *
     * @return one line per snippet that was rejected or threw; empty when all went well
     */
    List<String> evalSource(String source) {
        List<String> problems = new ArrayList<>();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        String remaining = source;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (!info.completeness().isComplete()) {
                problems.add("incomplete source: " + remaining.strip());
                break;
            }
            for (SnippetEvent e : shell.eval(info.source())) {
                if (e.status() == Snippet.Status.REJECTED) {
                    problems.add("rejected: " + e.snippet().source().strip() + " " + shell.diagnostics(e.snippet())
                            .map(d -> d.getMessage(null)).toList());
                } else if (e.exception() != null) {
                    problems.add("threw " + e.exception() + ": " + e.snippet().source().strip());
                }
            }
            remaining = info.remaining();
        }
        return problems;
    }

    /** @return the value of an expression, as JShell shows it */
    String value(String expression) {
        List<SnippetEvent> events = shell.eval(expression);
        SnippetEvent last = events.get(events.size() - 1);
        if (last.status() != Snippet.Status.VALID || last.exception() != null) {
            throw new AssertionError(expression + " failed: " + last);
        }
        return last.value();
    }

    /**
     * Waits until the collected output contains {@code text}: the remote JVM's output arrives on
     * its own stream, a little after the evaluation returns.
     *
     * @return everything printed so far
     */
    String awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!output().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return output();
    }

    /**
     * What Ctrl-C does in the JShell tool: {@code JShell.stop()}, which throws JShell's stop
     * exception (a {@code ThreadDeath}) into the thread running the snippet.
     */
    void stop() {
        shell.stop();
    }

    String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        shell.close();
    }
}
