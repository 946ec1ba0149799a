package dev.helios4j.jshell;

import dev.helios4j.Conversation;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.StreamListener;
import java.util.List;

/**
 * The JShell helpers that {@code helios.jsh} brings in with {@code import static}.
 *
 * <p>They are compiled here rather than written as snippets because JShell compiles every snippet
 * on its own (about 150 ms each on two cores): a dozen helper snippets doubled the launcher's
 * startup time. Being plain Java they are also tested as such.
 *
 * <p>{@link #llm} and {@link #conv} are the session's state, exactly what top-level JShell
 * variables would be: static fields of the JVM that runs the snippets, used from the one thread
 * that runs them. They are this module's only static state, and public and assignable on
 * purpose: {@code import static} makes them the names the user types ({@code llm.chat(...)}), and
 * JShell variables declared by the script could not be reassigned by compiled helpers such as
 * {@link #use(String)}. Output goes to {@code System.out} as it is at each call (notebook kernels swap
 * it per cell); failures are printed as one line on {@code System.err}, never as a stack trace.
 */
public final class Helpers {
    /** The open model, or null when none could be opened; {@link #use(String)} switches it. */
    public static LlmClient llm;
    /** A conversation with {@link #llm}, as {@link #say(String)} continues it; renewed by {@code use}. */
    public static Conversation conv;
    /** Prints each piece and flushes at once: {@code llm.stream(request, echo)}. Lower case, as a JShell name. */
    public static final StreamListener echo = piece -> {
        System.out.print(piece);
        System.out.flush();
    };

    private Helpers() {
    }

    /**
     * Streams the answer to {@code question} to the output as it is produced. JShell's stop
     * (Ctrl-C) ends it with the partial text and {@code [stopped]}.
     */
    public static void ask(String question) {
        streamed(shown -> client().stream(question, shown));
    }

    /** @return the whole answer to {@code question}, or null after a failure (printed) */
    public static String chat(String question) {
        try {
            return client().chat(question);
        } catch (GenerationCancelledException e) {
            cancelled(false);
            return null;
        } catch (LlmException e) {
            report(e);
            return null;
        } catch (ThreadDeath stop) {
            throw stopped(stop, false);
        }
    }

    /** Streams the next turn of {@link #conv}, which remembers the earlier ones; stops as {@link #ask} does. */
    public static void say(String message) {
        streamed(shown -> {
            client();
            conv.stream(message, shown);
        });
    }

    /** Runs a streamed call that prints as it goes; a stop or a failure is printed, never thrown (but JShell's stop). */
    private static void streamed(java.util.function.Consumer<Echo> call) {
        Echo shown = new Echo();
        try {
            call.accept(shown);
            System.out.println();
        } catch (GenerationCancelledException e) {
            cancelled(shown.any);
        } catch (LlmException e) {
            report(e);
        } catch (ThreadDeath stop) {
            throw stopped(stop, shown.any);
        }
    }

    /** {@link #echo}, remembering whether it printed anything. */
    private static final class Echo implements StreamListener {
        boolean any;

        @Override
        public void onToken(String piece) {
            any = true;
            echo.onToken(piece);
        }
    }

    /**
     * JShell's stop (Ctrl-C in the tool, {@code JShell.stop()} in its API) is no interrupt: it
     * throws a {@code ThreadDeath} into the snippet's thread. The provider has closed the answer's
     * stream by now; mark the end of the partial text and let the stop go on unchanged, so JShell
     * ends the snippet as stopped (an exception it does not know would be shown as a failure).
     */
    private static ThreadDeath stopped(ThreadDeath stop, boolean partialShown) {
        markStopped(partialShown);
        return stop;
    }

    /**
     * The call was cancelled by an interrupt. In JShell that is its stop too: the JVM sets the
     * thread's interrupt flag along with the pending {@code ThreadDeath}, and the provider may see
     * the flag first (seen in about 1 of 10 stops under {@code --execution local}). The flag is
     * cleared, or the snippet thread, which JShell reuses, would cancel the next question before
     * sending it. The pending {@code ThreadDeath} is delivered at the thread's next check for it,
     * here or in JShell's own code, which ends the snippet as stopped.
     */
    private static void cancelled(boolean partialShown) {
        Thread.interrupted();
        markStopped(partialShown);
    }

    private static void markStopped(boolean partialShown) {
        System.out.println(partialShown ? "\n[stopped]" : "[stopped]");
        System.out.flush();
    }

    /** Opens the configured default model, as {@link Llm#open()} does, in place of the current one. */
    public static void use() {
        use(null);
    }

    /**
     * Opens {@code spec} and, only once it is open, closes the current model; on failure the current
     * one stays.
     */
    public static void use(String spec) {
        try {
            LlmClient next = spec == null ? Llm.open() : Llm.open(spec);
            if (llm != null) {
                llm.close();
            }
            llm = next;
            conv = next.conversation();
            System.out.println("helios4j: llm is " + next.resolvedSpec() + ". help() lists the helpers.");
        } catch (LlmException e) {
            report(e);
        }
    }

    /** Prints the models the open model's provider offers. */
    public static void models() {
        try {
            List<String> names = client().models();
            if (names.isEmpty()) {
                System.out.println(llm.provider() + " lists no models; the open one is " + llm.resolvedSpec() + ".");
            }
            names.forEach(name -> System.out.println(name));
        } catch (LlmException e) {
            report(e);
        }
    }

    /** Prints the providers on the class path, one a line, with those that failed to load and why. */
    public static void providers() {
        Llm.providers().forEach(info -> System.out.println(info));
    }

    /** Prints what is here, in a dozen lines. */
    public static void help() {
        System.out.print("""
                llm                          the open LlmClient (%s): llm.chat(ChatRequest), llm.stream(request, echo)...
                ask("Why is the sky blue?")  streams the answer here
                chat("Hi")                   returns the whole answer as a String
                say("Hi"); say("And then?")  a conversation that remembers; conv holds it (conv.messages(), conv.clear())
                use("openai:gpt-4o-mini")    switches models, closing the old one; use() reopens the configured default
                models(), providers()        what the open model's provider offers; the providers on the class path
                Specs: demo, llamacpp:/path/to/model.gguf, llamacpp:hf:ORG/REPO/FILE.gguf, openai:MODEL
                Default model: -R-Dhelios4j.model=SPEC, HELIOS4J_MODEL=SPEC or model=SPEC in ~/.config/helios4j/config.properties
                """.formatted(llm == null ? "none open" : llm.resolvedSpec()));
    }

    private static LlmClient client() {
        if (llm == null) {
            throw new LlmException("No model is open. use(\"demo\") opens the built-in one; use(\"SPEC\") any other.");
        }
        return llm;
    }

    private static void report(LlmException e) {
        if (!e.partialText().isEmpty()) {
            System.out.println(); // ends the partial answer's line
        }
        System.err.println("helios4j: " + e.getMessage());
    }
}
