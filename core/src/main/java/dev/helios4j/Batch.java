package dev.helios4j;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One prompt over many rows: a template (or a function of the row) asked of each item of a list,
 * a stream, a CSV or a JSON Lines file, with answers in input order.
 *
 * <pre>{@code
 * BatchSummary s = Batch.ofCsv(Path.of("tickets.csv"))
 *         .prompt("Classify this ticket as bug, question or praise: {body}")
 *         .journal(Path.of("tickets.answers.jsonl"))      // re-running skips the rows answered
 *         .progress(BatchProgress.toConsole())
 *         .run(llm);
 * s.answers();                                             // in input order
 * }</pre>
 *
 * <ul>
 *   <li><b>Bounded:</b> at most {@link #concurrency(int)} calls in flight (by default what the
 *       provider suggests: 8 for a remote server, a local model's slots, {@code llamacpp.parallel}), on as many daemon worker
 *       threads; the input is read one row at a time, and at most a window of rows
 *       ({@link #window(int)}) is held between reading and delivering, so a million-row file runs
 *       in flat memory when the results go to a sink ({@link #run(LlmClient, Consumer)}).</li>
 *   <li><b>Rate limits and failures:</b> a 429 closes one gate for every worker for the server's
 *       {@code Retry-After} and halves the calls in flight (raised again as calls succeed); 429,
 *       5xx, timeouts and dropped connections are retried with backoff ({@link #retries(int)});
 *       a row that still fails is reported with its error and the others go on, unless
 *       {@link #stopOnFailure(boolean)}. A refused key or a missing model stops the batch at once.</li>
 *   <li><b>Resumable:</b> with {@link #journal(Path)}, each row is appended as it settles; a re-run
 *       skips the rows answered and asks the rest. A torn last line (a kill mid-write) is ignored.</li>
 *   <li><b>Progress:</b> {@link #progress(Consumer)} hears a snapshot a few times a second and at
 *       the end, on the calling thread.</li>
 *   <li><b>Interrupts:</b> interrupting the calling thread (a notebook's stop button) cancels the
 *       calls in flight, keeps the journal consistent (cancelled rows are not written), and returns
 *       the summary so far with {@link BatchSummary#stopped()} true and the interrupt flag set again.</li>
 * </ul>
 *
 * <p>A {@code Batch} is a mutable description, not thread-safe; {@link #run} may be called more
 * than once when its input can be read again (a list or a file; a stream only once). The sink and
 * the progress listener are called on the calling thread, in input order.
 */
public final class Batch {
    static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);
    static final int DEFAULT_RETRIES = 4;

    private final Function<String, BatchInput> input;
    private final String source;
    private String keyField;
    private PromptTemplate template;
    private String system;
    private Integer maxTokens;
    private Double temperature;
    private Function<BatchRow, ChatRequest> requests;
    private int concurrency;
    private int window;
    private int retries = DEFAULT_RETRIES;
    private Duration initialBackoff = DEFAULT_BACKOFF;
    private Path journal;
    private boolean stopOnFailure;
    private Consumer<BatchProgress> progress;
    private Duration progressInterval = Duration.ofMillis(200);

    private Batch(String source, Function<String, BatchInput> input) {
        this.source = source;
        this.input = input;
    }

    /**
     * @param items the rows: strings (the field {@code text}), maps (their entries are the fields),
     *     {@link BatchRow}s, or anything else (its {@code toString()} is {@code text}); never null
     * @return a batch over them, in list order
     */
    public static Batch of(List<?> items) {
        List<?> rows = Objects.requireNonNull(items, "items");
        return new Batch("a list of " + rows.size(), key -> BatchInput.of(rows.iterator(), rows.size(), key, null));
    }

    /**
     * @param items the rows, as for {@link #of(List)}; read lazily and closed when the run ends;
     *     a stream can be run once
     * @return a batch over them
     */
    public static Batch of(Stream<?> items) {
        Objects.requireNonNull(items, "items");
        boolean[] used = {false};
        return new Batch("a stream", key -> {
            if (used[0]) {
                throw new InvalidRequestException("This batch's stream was already run; a stream can be read once. "
                        + "Build a new Batch over a new stream, or use a list or a file.");
            }
            used[0] = true;
            return BatchInput.of(items.iterator(), -1, key, items);
        });
    }

    /**
     * @param file a UTF-8 CSV file whose first line names the columns (RFC 4180 quoting); never null
     * @return a batch over its rows, each column a field
     */
    public static Batch ofCsv(Path file) {
        Objects.requireNonNull(file, "file");
        return new Batch(file.toString(), key -> BatchInput.csv(file, key));
    }

    /**
     * @param file a UTF-8 file with one JSON object per line; never null
     * @return a batch over its rows, each member a field (nested values as JSON text)
     */
    public static Batch ofJsonLines(Path file) {
        Objects.requireNonNull(file, "file");
        return new Batch(file.toString(), key -> BatchInput.jsonLines(file, key));
    }

    /**
     * Asks each row this prompt as the user message, its {@code {field}} holes filled from the row
     * (<code>{{</code> and <code>}}</code> for literal braces).
     *
     * @param template such as {@code "Classify: {text}"}; never null
     * @return this batch
     * @throws InvalidRequestException when a brace is not closed or a hole is empty
     */
    public Batch prompt(String template) {
        this.template = new PromptTemplate(Objects.requireNonNull(template, "template"));
        this.requests = null;
        return this;
    }

    /**
     * @param text a system message sent before each row's prompt, or null for none
     * @return this batch
     */
    public Batch system(String text) {
        this.system = text;
        return this;
    }

    /**
     * @param tokens the most tokens each answer may have (with {@link #prompt(String)})
     * @return this batch
     */
    public Batch maxTokens(int tokens) {
        this.maxTokens = tokens;
        return this;
    }

    /**
     * @param value the sampling temperature for each row (with {@link #prompt(String)}), 0 to 2
     * @return this batch
     */
    public Batch temperature(double value) {
        this.temperature = value;
        return this;
    }

    /**
     * Builds each row's request in code instead of from a template. Called on worker threads, so it
     * must be thread-safe; an exception it throws fails that row.
     *
     * @param function the request for a row; never null
     * @return this batch
     */
    public Batch request(Function<BatchRow, ChatRequest> function) {
        this.requests = Objects.requireNonNull(function, "function");
        this.template = null;
        return this;
    }

    /**
     * Keys rows in the journal by a field (an id column) instead of by their position, so a
     * journal stays right when the input's rows are reordered or added to.
     *
     * @param field the field's name; every row must have a value for it
     * @return this batch
     */
    public Batch key(String field) {
        this.keyField = Objects.requireNonNull(field, "field");
        return this;
    }

    /**
     * @param calls the most calls in flight at once, at least 1; 0 for the provider's suggestion
     * @return this batch
     */
    public Batch concurrency(int calls) {
        if (calls < 0) {
            throw new InvalidRequestException("concurrency must be at least 1 (or 0 for the provider's suggestion), got "
                    + calls + ".");
        }
        this.concurrency = calls;
        return this;
    }

    /**
     * @param rows the most rows held between reading and delivering (they wait for an earlier,
     *     slower row to keep the order); at least the concurrency; 0 for 4 times the concurrency, at least 64
     * @return this batch
     */
    public Batch window(int rows) {
        if (rows < 0) {
            throw new InvalidRequestException("window must be 0 or more, got " + rows + ".");
        }
        this.window = rows;
        return this;
    }

    /**
     * @param count how often a row is retried after a transient failure (429, 5xx, timeout, a dropped
     *     connection), 0 or more; 4 by default
     * @return this batch
     */
    public Batch retries(int count) {
        if (count < 0) {
            throw new InvalidRequestException("retries must be 0 or more, got " + count + ".");
        }
        this.retries = count;
        return this;
    }

    /**
     * @param delay the first retry's delay; later ones double, capped at 30 s, with jitter; a
     *     server's {@code Retry-After} wins
     * @return this batch
     */
    public Batch initialBackoff(Duration delay) {
        if (delay.isNegative()) {
            throw new InvalidRequestException("initialBackoff must not be negative, got " + delay + ".");
        }
        this.initialBackoff = delay;
        return this;
    }

    /**
     * @param file a JSON Lines journal: rows are appended as they settle, and rows it holds
     *     answers for are not asked again; created when missing; null for none
     * @return this batch
     */
    public Batch journal(Path file) {
        this.journal = file;
        return this;
    }

    /**
     * @param stop true to end the batch at the first row that fails after its retries, throwing
     *     that failure; false (the default) to report it and go on
     * @return this batch
     */
    public Batch stopOnFailure(boolean stop) {
        this.stopOnFailure = stop;
        return this;
    }

    /**
     * @param listener hears snapshots a few times a second and once at the end, on the calling
     *     thread; {@link BatchProgress#toConsole()} keeps a line on the terminal; null for none
     * @return this batch
     */
    public Batch progress(Consumer<BatchProgress> listener) {
        this.progress = listener;
        return this;
    }

    Batch progressInterval(Duration interval) {
        this.progressInterval = interval;
        return this;
    }

    /**
     * Runs the batch and collects every result, in input order, into the summary. For inputs too
     * large to hold, use {@link #run(LlmClient, Consumer)}.
     *
     * @param llm the model; never null; not closed
     * @return the totals and the results
     * @throws LlmException when the input cannot be read, the journal cannot be written, the
     *     provider refuses the key or the model, or (with {@link #stopOnFailure}) a row failed
     */
    public BatchSummary run(LlmClient llm) {
        return newRun(llm, null).run();
    }

    /**
     * Runs the batch, passing each result to {@code sink} in input order on the calling thread, as
     * soon as it and every earlier row are settled. Nothing is collected: memory stays flat.
     *
     * @param llm the model; never null; not closed
     * @param sink receives the results in input order; an exception it throws ends the batch
     * @return the totals, with no results
     * @throws LlmException as {@link #run(LlmClient)} does
     */
    public BatchSummary run(LlmClient llm, Consumer<BatchResult> sink) {
        return newRun(llm, Objects.requireNonNull(sink, "sink")).run();
    }

    private BatchRun newRun(LlmClient llm, Consumer<BatchResult> sink) {
        Objects.requireNonNull(llm, "llm");
        if (template == null && requests == null) {
            throw new InvalidRequestException("The batch has no prompt: call prompt(\"... {text} ...\") or "
                    + "request(row -> ChatRequest...) before run.");
        }
        int calls = concurrency > 0 ? concurrency : Math.max(1, llm.suggestedConcurrency());
        int rows = window > 0 ? Math.max(window, calls) : Math.max(64, 4 * calls);
        Function<BatchRow, ChatRequest> build = requests != null ? requests : templateRequests();
        return new BatchRun(llm, () -> input.apply(keyField), build, calls, rows, retries, initialBackoff, journal, stopOnFailure,
                progress, progressInterval, sink);
    }

    private Function<BatchRow, ChatRequest> templateRequests() {
        PromptTemplate t = template;
        String s = system;
        Integer max = maxTokens;
        Double temp = temperature;
        return row -> {
            ChatRequest.Builder b = ChatRequest.builder();
            if (s != null) {
                b.system(s);
            }
            b.user(t.fill(row));
            if (max != null) {
                b.maxTokens(max);
            }
            if (temp != null) {
                b.temperature(temp);
            }
            return b.build();
        };
    }

    @Override
    public String toString() {
        return "Batch[" + source + (template != null ? ", prompt \"" + template + "\"" : "")
                + (journal != null ? ", journal " + journal : "") + "]";
    }
}
