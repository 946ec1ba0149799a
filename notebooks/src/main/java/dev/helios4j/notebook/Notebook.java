package dev.helios4j.notebook;

import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.StreamListener;
import dev.helios4j.Timings;
import dev.helios4j.Usage;
import dev.helios4j.internal.Throttle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Notebook helpers: an answer streams into one output that updates in place, rendered as
 * Markdown, with a footer giving the model, tokens and tokens per second.
 *
 * <pre>{@code
 * LlmClient llm = Notebook.open("demo");
 * Notebook.chat(llm, "Why is the sky blue?");
 * var chat = Notebook.conversation(llm);
 * chat.send("Hi");
 * }</pre>
 *
 * <p>The kernel (JJava, IJava or rapaio) is found by reflection; without one (JShell, a terminal)
 * each piece is printed and flushed as it arrives. The stop button cancels the answer at once and
 * the output keeps what was written, marked as stopped. Failures show as a short block that says
 * what failed and what to do, never as a stack trace: the helpers do not throw them (the exception
 * is kept in {@link #lastError()}).
 *
 * <p>Call the helpers from the cell's thread: the kernels publish outputs for the running cell.
 */
public final class Notebook {
    private Notebook() {
    }

    /**
     * Asks one question and streams the answer into a live output. Returns nothing, so the cell
     * shows the answer once.
     *
     * @param llm the model; null shows a short block (the cell that opened it failed)
     * @param prompt the question; never null
     */
    public static void chat(LlmClient llm, String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        stream(llm, ChatRequest.of(prompt));
    }

    /**
     * Sends a request and streams the answer into a live output.
     *
     * @param llm the model; null shows a short block (the cell that opened it failed)
     * @param request the messages and settings; never null
     * @return the answer as shown, which prints as one short line when left as the cell's value;
     *     when the call failed, an answer without response whose {@link NotebookAnswer#error()}
     *     has the exception (the output says why)
     */
    public static NotebookAnswer stream(LlmClient llm, ChatRequest request) {
        Objects.requireNonNull(request, "request");
        if (llm == null) {
            return failed(new InvalidRequestException("No model: the cell that opened it failed (its output says why). "
                    + "Fix the spec there and run it again."), "no model");
        }
        AnswerFormat format = new AnswerFormat(llm.spec(), NotebookState.footer, "", "");
        ChatResponse r = run(format, listener -> llm.stream(request, listener), llm.spec());
        return new NotebookAnswer(r, r == null ? NotebookState.lastError : null);
    }

    /**
     * Opens a model as {@link Llm#open(String)} does, for a notebook: a failure (a bad path, an
     * unknown provider, a missing model) shows as a short block instead of the kernel's stack
     * trace, and a model fetched from the Hub shows the notebook's progress bar.
     *
     * @param spec {@code PROVIDER:MODEL} or an alias
     * @return the client, owned by the caller; null when it could not be opened (the output says
     *     why, {@link #lastError()} has the exception, and the helpers given null say so briefly)
     */
    public static LlmClient open(String spec) {
        try {
            return ModelOpener.open(spec);
        } catch (RuntimeException e) {
            failed(e, String.valueOf(spec));
            return null;
        }
    }

    private static NotebookAnswer failed(RuntimeException e, String label) {
        NotebookState.lastError = e;
        show(new AnswerFormat(label, false, "", "").failed("", e));
        return new NotebookAnswer(null, e);
    }

    /**
     * @param llm the model; never null
     * @return a conversation whose turns show as a transcript
     */
    public static NotebookConversation conversation(LlmClient llm) {
        return new NotebookConversation(llm.conversation(), llm.spec());
    }

    /**
     * @param llm the model; never null
     * @param systemPrompt instructions kept at the start of every turn, or null
     * @return a conversation whose turns show as a transcript
     */
    public static NotebookConversation conversation(LlmClient llm, String systemPrompt) {
        return new NotebookConversation(llm.conversation(systemPrompt), llm.spec());
    }

    /**
     * A progress bar for a download or any long transfer: HTML in a notebook, one updating line
     * on a terminal. Pass it as the listener; close it when a transfer of unknown size ends.
     *
     * @return a new bar, not yet shown
     */
    public static ProgressBar progress() {
        return new ProgressBar(Kernels.current().orElse(null), Throttle.systemDefault());
    }

    /**
     * Shows Markdown as a cell output, with a plain-text copy for front ends (and terminals)
     * that do not render Markdown.
     *
     * @param markdown the text; never null
     */
    public static void markdown(String markdown) {
        show(Output.markdown(markdown, Markdown.toPlain(markdown)));
    }

    /**
     * Shows a value, such as a typed answer, as a small table: a record's components as rows, a
     * list of records one row per element, other lists as bullets (plain text without a kernel).
     *
     * @param value a record, list, array or any other value; null shows as a dash
     */
    public static void table(Object value) {
        show(ValueTable.of(value));
    }

    /** @param show whether answers end with model, tokens and tokens per second (on by default) */
    public static void footer(boolean show) {
        NotebookState.footer = show;
    }

    /**
     * @param force true to print answers as text even in a notebook (as in JShell), false to
     *     display in the kernel again; {@code -Dhelios4j.notebook.stdout=true} sets it at start
     */
    public static void useStdout(boolean force) {
        NotebookState.forceStdout = force;
    }

    /**
     * Registers the {@code %%llm} cell magic and the {@code %llm} line magic in IJava or JJava, then
     * prints one line saying so (or, in a kernel without magics such as rapaio, or in JShell, why
     * not and how to ask instead). {@code %llm help} shows their use:
     *
     * <pre>{@code
     * %%llm demo --system "Be terse."
     * Why is the sky blue?
     * }</pre>
     *
     * Call it again to start the magics' session afresh (model, {@code --chat} history).
     */
    public static void magics() {
        System.out.println(KernelMagics.install());
        System.out.flush();
    }

    /** @return where outputs go: "JJava", "IJava", "rapaio", or "stdout" */
    public static String kernel() {
        return Kernels.current().map(Frontend::name).orElse("stdout");
    }

    /** @return the last failure a helper showed instead of throwing, with its stack trace; or empty */
    public static Optional<Throwable> lastError() {
        return Optional.ofNullable(NotebookState.lastError);
    }

    static boolean footerShown() {
        return NotebookState.footer;
    }

    static void show(Output output) {
        Optional<Frontend> frontend = Kernels.current();
        if (frontend.isPresent()) {
            KernelCalls.run(() -> frontend.get().display("helios4j-" + UUID.randomUUID(), output));
        } else {
            System.out.println(output.plain());
            System.out.flush();
        }
    }

    /** The one streaming path behind every helper. */
    static ChatResponse run(AnswerFormat format, Function<StreamListener, ChatResponse> call, String model) {
        Optional<Frontend> frontend = Kernels.current();
        AnswerView view = frontend.<AnswerView>map(f -> new LiveAnswer(f, Throttle.systemDefault(), format))
                .orElseGet(() -> new ConsoleAnswer(format, NotebookState.footer));
        return run(view, call, model);
    }

    static ChatResponse run(AnswerView view, Function<StreamListener, ChatResponse> call, String model) {
        long start = System.nanoTime();
        view.start();
        StringBuilder seen = new StringBuilder();
        try {
            ChatResponse response = call.apply(piece -> {
                seen.append(piece);
                view.onToken(piece);
            });
            view.complete(response);
            return response;
        } catch (GenerationCancelledException e) {
            view.stopped(e.partialText());
            return cancelled(e.partialText(), model, Duration.ofNanos(System.nanoTime() - start));
        } catch (LlmException e) {
            NotebookState.lastError = e;
            view.failed(e.partialText(), e);
            return null;
        } catch (RuntimeException e) {
            NotebookState.lastError = e;
            view.failed(seen.toString(), e);
            return null;
        } catch (ThreadDeath e) {
            // JShell's own stop (Ctrl-C) kills the thread instead of interrupting it
            view.stopped(seen.toString());
            throw e;
        } catch (Error e) {
            view.failed(seen.toString(), e); // ends the live output: else it keeps its cursor, and StopGuard keeps it
            throw e;
        }
    }

    private static ChatResponse cancelled(String partial, String model, Duration elapsed) {
        return new ChatResponse(ChatMessage.assistant(partial), Usage.UNKNOWN, FinishReason.CANCELLED,
                new Timings(null, elapsed, Double.NaN), model);
    }
}
