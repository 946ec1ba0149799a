package dev.helios4j;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One run of a {@link Batch}. The calling thread coordinates: it reads rows, hands them to a pool
 * of {@code concurrency} daemon workers (so no more calls than that are ever in flight), skips
 * rows the journal answered, keeps settled rows until every earlier one is settled (at most
 * {@code window} rows between reading and delivering, which is the back-pressure on the input),
 * delivers them in order and reports progress. Workers call the model through the shared
 * {@link BatchGate}, retry transient failures and append each settled row to the journal.
 */
final class BatchRun {
    private static final AtomicInteger RUNS = new AtomicInteger();
    static final Duration BACKOFF_CAP = Duration.ofSeconds(30);
    /** After a stop, how long the calls in flight get to end (they end at once on an interrupt). */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LlmClient llm;
    private final Supplier<BatchInput> input;
    private final Function<BatchRow, ChatRequest> requests;
    private final int concurrency;
    private final int window;
    private final int retries;
    private final Duration initialBackoff;
    private final Path journalPath;
    private final boolean stopOnFailure;
    private final Consumer<BatchProgress> progress;
    private final long progressNanos;
    private final Consumer<BatchResult> sink;
    private final BatchGate gate;
    private final BlockingQueue<Settled> settled = new LinkedBlockingQueue<>();
    private BatchJournal journal;

    /** A row's end as a worker reports it: a result, a cancellation, or a failure that stops the batch. */
    private record Settled(BatchRow row, BatchResult result, Throwable cause, boolean cancelled, boolean fatal) {
    }

    BatchRun(LlmClient llm, Supplier<BatchInput> input, Function<BatchRow, ChatRequest> requests, int concurrency,
             int window, int retries, Duration initialBackoff, Path journal, boolean stopOnFailure,
             Consumer<BatchProgress> progress, Duration progressInterval, Consumer<BatchResult> sink) {
        this.llm = llm;
        this.input = input;
        this.requests = requests;
        this.concurrency = concurrency;
        this.window = window;
        this.retries = retries;
        this.initialBackoff = initialBackoff;
        this.journalPath = journal;
        this.stopOnFailure = stopOnFailure;
        this.progress = progress;
        this.progressNanos = progressInterval.toNanos();
        this.sink = sink;
        this.gate = new BatchGate(concurrency);
    }

    // counters of the coordinator (the calling thread) only
    private long total = -1;
    private long read;
    private long delivered;
    private long answered;
    private long failed;
    private long resumed;
    private long promptTokens;
    private long completionTokens;
    private long calls;
    private long start;
    private long lastProgress;
    private final List<BatchResult> collected = new ArrayList<>();

    BatchSummary run() {
        start = System.nanoTime();
        boolean interrupted = false;
        boolean stopped = false;
        RuntimeException toThrow = null;
        ThreadPoolExecutor pool = null;
        BatchInput in = null;
        if (journalPath != null) {
            journal = BatchJournal.open(journalPath);
        }
        try {
            in = input.get();
            total = in.total();
            pool = newPool();
            Map<Long, BatchResult> ready = new HashMap<>();
            int pending = 0;
            boolean inputDone = false;
            long drainDeadline = 0;
            report(false);
            while (true) {
                while (!stopped && !inputDone && read - delivered < window) {
                    BatchRow row = in.next();
                    if (row == null) {
                        inputDone = true;
                        break;
                    }
                    read++;
                    if (journal != null && journal.isAnswered(row.key())) {
                        ready.put(row.index(), journal.read(row));
                        answered++;
                        resumed++;
                    } else {
                        pending++;
                        pool.execute(() -> settled.add(settleSafely(row)));
                    }
                }
                deliver(ready);
                if (pending == 0 && (inputDone || stopped)) {
                    break;
                }
                if (System.nanoTime() - lastProgress >= progressNanos) {
                    report(false);
                }
                Settled s;
                try {
                    long wait = progressNanos;
                    if (stopped) {
                        wait = Math.min(wait, drainDeadline - System.nanoTime());
                        if (wait <= 0) {
                            break; // a call that ignores its interrupt: leave it to its daemon thread
                        }
                    }
                    s = settled.poll(Math.max(1, wait), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (!stopped) {
                        stopped = true;
                        pending -= pool.shutdownNow().size();
                        drainDeadline = System.nanoTime() + DRAIN_NANOS;
                    }
                    continue;
                }
                if (s == null) {
                    continue;
                }
                pending--;
                if (s.cancelled) {
                    continue;
                }
                if (s.fatal) {
                    if (toThrow == null) {
                        toThrow = (RuntimeException) s.cause;
                    }
                } else {
                    BatchResult r = s.result;
                    ready.put(r.index(), r);
                    calls += r.attempts();
                    if (r.usage().isKnown()) {
                        promptTokens += r.usage().promptTokens();
                        completionTokens += r.usage().completionTokens();
                    }
                    if (r.ok()) {
                        answered++;
                    } else {
                        failed++;
                        if (stopOnFailure && toThrow == null) {
                            toThrow = new LlmException("Row " + r.index() + " (key " + r.key() + ") failed after "
                                    + r.attempts() + " attempt" + (r.attempts() == 1 ? "" : "s") + ": " + r.error()
                                    + " The batch stopped there (stopOnFailure); rows already answered are "
                                    + (journal != null ? "in the journal and are not asked again on a re-run."
                                    : "lost without a journal."), s.cause);
                        }
                    }
                }
                if (toThrow != null && !stopped) {
                    stopped = true;
                    pending -= pool.shutdownNow().size();
                    drainDeadline = System.nanoTime() + DRAIN_NANOS;
                }
            }
            deliver(ready);
            report(true);
            if (toThrow != null) {
                throw toThrow;
            }
            return new BatchSummary(read, answered, failed, resumed, promptTokens, completionTokens, calls,
                    Duration.ofNanos(System.nanoTime() - start), stopped, collected);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
                // let cancelled calls end before the journal closes under them (an interrupt ends them at once)
                boolean flag = Thread.interrupted();
                try {
                    pool.awaitTermination(DRAIN_NANOS, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    flag = true;
                }
                interrupted |= flag;
            }
            if (in != null) {
                in.close();
            }
            if (journal != null) {
                journal.close();
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void deliver(Map<Long, BatchResult> ready) {
        BatchResult r;
        while ((r = ready.remove(delivered)) != null) {
            delivered++;
            if (sink != null) {
                sink.accept(r);
            } else {
                collected.add(r);
            }
        }
    }

    private void report(boolean finished) {
        lastProgress = System.nanoTime();
        if (progress != null) {
            progress.accept(new BatchProgress(finished && total < 0 ? read : total, answered, failed, resumed,
                    finished ? 0 : gate.inFlight(), promptTokens, completionTokens,
                    Duration.ofNanos(lastProgress - start), finished));
        }
    }

    private ThreadPoolExecutor newPool() {
        String prefix = "helios4j-batch-" + RUNS.incrementAndGet() + "-worker-";
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(concurrency, concurrency, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread t = new Thread(task, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private Settled settleSafely(BatchRow row) {
        try {
            return settle(row);
        } catch (RuntimeException | Error e) {
            return new Settled(row, null, e instanceof RuntimeException r ? r
                    : new LlmException("A batch worker failed on row " + row.index() + ": " + e, e), false, true);
        }
    }

    /** On a worker: asks one row, retrying transient failures, and journals how it settled. */
    private Settled settle(BatchRow row) {
        ChatRequest request;
        try {
            request = requests.apply(row);
            if (request == null) {
                throw new InvalidRequestException("The batch's request function returned null for row " + row.index()
                        + "; return a ChatRequest.");
            }
            if (request.retries() == null) {
                // The batch is the retry layer: each 429 must reach the shared gate at once, not
                // wait inside one worker's call while the others keep asking.
                request = request.toBuilder().retries(0).build();
            }
        } catch (RuntimeException e) {
            return failed(row, e, 0);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                gate.enter();
            } catch (InterruptedException e) {
                return cancelled(row);
            }
            boolean ok = false;
            LlmException failure = null;
            ChatResponse response = null;
            try {
                response = llm.chat(request);
                ok = true;
            } catch (GenerationCancelledException e) {
                return cancelled(row);
            } catch (AuthenticationException | ModelNotFoundException e) {
                return new Settled(row, null, e, false, true); // every row would fail the same way
            } catch (LlmException e) {
                failure = e;
            } catch (RuntimeException e) {
                return failed(row, e, attempt);
            } finally {
                gate.leave(ok);
            }
            if (ok) {
                // outside the call's try: a journal that cannot be written is no reason to ask again
                BatchResult result = new BatchResult(row.index(), row.key(), response.text(), response.usage(), null,
                        attempt, false);
                if (journal != null) {
                    journal.append(result);
                }
                return new Settled(row, result, null, false, false);
            }
            if (Thread.currentThread().isInterrupted()) {
                return cancelled(row);
            }
            if (attempt > retries || !isTransient(failure)) {
                return failed(row, failure, attempt);
            }
            Duration delay = backoff(attempt, initialBackoff);
            if (failure instanceof RateLimitException limit) {
                gate.rateLimited(limit.retryAfter().orElse(delay)); // the gate holds every worker back, this one too
                continue;
            }
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                return cancelled(row);
            }
        }
    }

    private Settled failed(BatchRow row, Exception e, int attempts) {
        String message = e instanceof LlmException ? e.getMessage() : e.toString();
        BatchResult result = new BatchResult(row.index(), row.key(), null, Usage.UNKNOWN, message, attempts, false);
        if (journal != null) {
            journal.append(result);
        }
        return new Settled(row, result, e, false, false);
    }

    private static Settled cancelled(BatchRow row) {
        return new Settled(row, null, null, true, false);
    }

    /** Worth another try: the same request may well succeed in a moment. */
    static boolean isTransient(LlmException e) {
        if (e instanceof RateLimitException || e instanceof ServerException || e instanceof LlmTimeoutException) {
            return true;
        }
        if (e instanceof HttpException h) {
            return h.statusCode() >= 500 || h.statusCode() == 408 || h.statusCode() == 409;
        }
        if (e instanceof InvalidRequestException || e instanceof GenerationCancelledException) {
            return false;
        }
        // a server that could not be reached or dropped the connection
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Capped exponential backoff with "equal jitter": never less than half, so retries do not pile up at zero. */
    static Duration backoff(int attempt, Duration initial) {
        long base = initial.toNanos() << Math.min(attempt - 1, 20);
        long capped = Math.min(base < 0 ? Long.MAX_VALUE : base, BACKOFF_CAP.toNanos());
        long half = capped / 2;
        return Duration.ofNanos(half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0));
    }
}
