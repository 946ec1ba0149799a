package dev.helios4j.notebook;

import dev.helios4j.ChatResponse;
import java.io.PrintStream;

/**
 * An answer on the terminal (JShell, a plain JVM, or a notebook forced to stdout): each piece is
 * printed and flushed as it arrives. {@code System.out} is looked up on every call, never kept:
 * notebook kernels and JShell replace it between cells.
 */
final class ConsoleAnswer implements AnswerView {
    private final AnswerFormat format;
    private final boolean footer;

    ConsoleAnswer(AnswerFormat format, boolean footer) {
        this.format = format;
        this.footer = footer;
    }

    private static PrintStream out() {
        return System.out;
    }

    @Override
    public void start() {
        if (!format.headerPlain().isEmpty()) {
            out().print(format.headerPlain());
            out().flush();
        }
    }

    @Override
    public void onToken(String piece) {
        PrintStream out = out();
        out.print(piece);
        out.flush();
    }

    @Override
    public void complete(ChatResponse response) {
        PrintStream out = out();
        out.println();
        if (footer) {
            out.println("[" + format.footerLine(response) + "]");
        }
        out.flush();
    }

    @Override
    public void stopped(String partial) {
        PrintStream out = out();
        out.println(" [⏹ stopped]");
        out.flush();
    }

    @Override
    public void failed(String partial, Throwable failure) {
        PrintStream out = out();
        out.println();
        out.println(ErrorReport.of(failure).plain());
        out.flush();
    }
}
