package dev.helios4j.remote;

import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ServerException;
import dev.helios4j.StreamListener;
import dev.helios4j.internal.Format;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One streamed chat call, on the caller's thread: send (retrying only before any answer arrived,
 * so no text is ever duplicated), then read the event stream under the first-byte, idle and total
 * limits, passing pieces on as they are parsed. Interrupting the caller cancels the HTTP exchange
 * and keeps the partial text.
 */
final class ChatCall implements SseReader.Handler {
    private static final System.Logger LOG = System.getLogger(ChatCall.class.getName());
    private static final int ERROR_BODY_LIMIT = 64 * 1024;
    /** After [DONE], how long to wait for the body's end so the connection can be reused. */
    private static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final OpenAiEngine engine;
    private final OpenAiConfig config;
    private final ChatRequest request;
    private final String model;
    /** The request's own count (a batch sends 0 and retries by itself), else openai.retries. */
    private final int maxRetries;
    private final Answer answer;
    private final SseReader sse;
    private final long start = System.nanoTime();
    private final long totalDeadline;

    ChatCall(OpenAiEngine engine, ChatRequest request, StreamListener listener) {
        this.engine = engine;
        this.config = engine.config();
        this.request = request;
        this.maxRetries = request.retries() != null ? request.retries() : config.maxRetries();
        this.model = request.model() != null ? request.model() : config.model();
        this.answer = new Answer(listener);
        this.totalDeadline = deadline(start, config.totalTimeout());
        this.sse = new SseReader(this, config.limits().line(), config.limits().event());
    }

    ChatResponse run() {
        if (Thread.currentThread().isInterrupted()) {
            throw new GenerationCancelledException("");
        }
        byte[] body = engine.writer().write(request, model, config.maxCompletionTokens(), config.includeUsage());
        HttpRequest.Builder httpRequest = engine.newRequest("/chat/completions")
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        Opened opened = open(httpRequest);
        try {
            if (opened.isJson) {
                byte[] whole = readJson(opened);
                try {
                    parse(whole, whole.length); // a server that ignored "stream": one whole chat.completion
                } catch (IOException e) {
                    throw new ServerException("The server's answer is not valid JSON (" + e.getMessage() + ").", 200,
                            config.redact(HttpErrors.excerpt(whole)), answer.text());
                }
                answer.done = true;
            } else {
                stream(opened);
            }
            return answer.finish(request, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            opened.body.cancel();
        }
    }

    private record Opened(BodyQueue body, boolean isJson, long sentAt) {
    }

    /** Sends until a 2xx arrives, retrying connect failures, 429 and 5xx with backoff. */
    private Opened open(HttpRequest.Builder httpRequest) {
        for (int attempt = 0; ; attempt++) {
            long sentAt = System.nanoTime();
            BodyQueue queue = new BodyQueue();
            HttpResponse<Void> response;
            try {
                response = awaitHeaders(httpRequest, sentAt, queue);
            } catch (IOException e) {
                queue.cancel();
                LlmException failure = e instanceof HttpConnectTimeoutException
                        ? new LlmTimeoutException("Could not connect to " + config.displayUrl() + " within "
                        + Format.duration(config.connectTimeout()) + " (openai.timeout.connect)." + HttpErrors.noKeyHint(config),
                        e, "")
                        : HttpErrors.unreachable(config, e);
                retryOrThrow(attempt, failure, null, "a connection failure");
                continue;
            } catch (RuntimeException | Error e) {
                // A timeout, an interrupt, or JShell's stop (a ThreadDeath thrown into this thread):
                // headers that still arrive find the body cancelled, and the connection is closed.
                queue.cancel();
                throw e;
            }
            int status = response.statusCode();
            if (status >= 200 && status <= 299) {
                String type = response.headers().firstValue("content-type").orElse("");
                return new Opened(queue, type.startsWith("application/json"), sentAt);
            }
            byte[] errorBody;
            try {
                errorBody = readAll(queue, ERROR_BODY_LIMIT, sentAt);
            } catch (LlmTimeoutException | ServerException e) {
                errorBody = new byte[0]; // the status says enough
            } finally {
                queue.cancel();
            }
            Duration hint = Backoff.retryAfter(response.headers(), Instant.now());
            LlmException failure = HttpErrors.toException(config, model, status, errorBody, hint, "");
            if (status == 429 || status >= 500) {
                retryOrThrow(attempt, failure, hint, "HTTP " + status);
                continue;
            }
            throw failure;
        }
    }

    private void retryOrThrow(int attempt, LlmException failure, Duration hint, String what) {
        if (attempt >= maxRetries) {
            throw failure;
        }
        Duration delay = Backoff.delay(attempt, config.initialBackoff(), hint);
        if (delay.compareTo(Backoff.LONGEST_WAIT) > 0
                || totalDeadline != 0 && System.nanoTime() + delay.toNanos() >= totalDeadline) {
            throw failure; // a wait that long is the caller's decision: report the cause and its Retry-After now
        }
        LOG.log(Level.INFO, () -> "Retrying " + config.displayUrl() + " after " + what + " in " + delay.toMillis()
                + " ms (retry " + (attempt + 1) + " of " + maxRetries + ")");
        try {
            Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("");
        }
    }

    /**
     * Sends and waits for the status and headers under the first-byte and total limits. Uses
     * {@code send}, not {@code sendAsync}: the latter hands its completion to the default async
     * executor, which on 2 CPUs starts a thread per call. {@code send} is interruptible too: since
     * JDK 16 an interrupt cancels the exchange, and the request's timeout bounds the wait.
     */
    private HttpResponse<Void> awaitHeaders(HttpRequest.Builder httpRequest, long sentAt, BodyQueue queue)
            throws IOException {
        long limit = earliest(deadline(sentAt, config.firstByteTimeout()), totalDeadline);
        if (limit != 0) {
            httpRequest.timeout(Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), limit - System.nanoTime())));
        }
        try {
            return engine.http().send(httpRequest.build(), info -> queue);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // send() has cancelled the exchange
            throw new GenerationCancelledException("");
        } catch (HttpTimeoutException e) {
            if (e instanceof HttpConnectTimeoutException) {
                throw e; // retried like any connection failure
            }
            throw timeout(limit, false);
        } catch (IllegalArgumentException e) {
            throw new LlmException("The request to " + config.displayUrl() + " failed: " + config.redact(String.valueOf(e)),
                    e);
        }
    }

    /** The read loop: the first bytes under the first-byte limit, each later read under the idle limit. */
    private void stream(Opened opened) {
        BodyQueue queue = opened.body;
        long firstByteDeadline = deadline(opened.sentAt, config.firstByteTimeout());
        boolean started = false;
        while (!answer.done) {
            long limit = earliest(started ? deadline(System.nanoTime(), config.idleTimeout()) : firstByteDeadline,
                    totalDeadline);
            List<ByteBuffer> buffers;
            try {
                buffers = next(queue, limit, started);
            } catch (LlmTimeoutException e) {
                if (answer.finishReason != null) {
                    break; // the answer was over; only the server's [DONE] or end of body is missing
                }
                throw e;
            }
            if (buffers == null) {
                break;
            }
            started = true;
            try {
                for (ByteBuffer b : buffers) {
                    sse.feed(b);
                }
            } catch (SseReader.TooLarge e) {
                throw tooLarge(e.line ? "an event-stream line" : "an event", e.limit,
                        e.line ? Limits.LINE : Limits.EVENT, "");
            } catch (IOException e) {
                throw new ServerException("The server sent a chunk that is not valid JSON (" + e.getMessage()
                        + "); the stream is broken.", 200, "", answer.text());
            }
        }
        if (answer.done) {
            drain(queue);
        } else if (!answer.isComplete()) {
            throw new ServerException("The stream from " + config.displayUrl() + " ended before the answer was complete "
                    + "(no finish reason and no [DONE]); the text so far is in partialText().", 200, "", answer.text());
        }
    }

    private List<ByteBuffer> next(BodyQueue queue, long limit, boolean started) {
        try {
            return queue.next(limit == 0 ? 0 : Math.max(1, limit - System.nanoTime()));
        } catch (BodyQueue.Silence e) {
            throw timeout(limit, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException(answer.text());
        } catch (IOException e) {
            throw new ServerException("The connection to " + config.displayUrl() + " broke mid-stream: "
                    + config.redact(String.valueOf(e)) + ". The text so far is in partialText().", 200, "", answer.text());
        }
    }

    /** Reads the rest of a body (an error's), cut at a limit. */
    private byte[] readAll(BodyQueue queue, int limit, long sentAt) {
        BodyBytes out = new BodyBytes(limit);
        readInto(out, queue, sentAt);
        return out.toArray();
    }

    /** @return true when the body ended within the limit, false when more was left */
    private boolean readInto(BodyBytes out, BodyQueue queue, long sentAt) {
        long deadline = earliest(deadline(sentAt, config.firstByteTimeout()), totalDeadline);
        List<ByteBuffer> buffers;
        while ((buffers = next(queue, deadline, false)) != null) {
            for (ByteBuffer b : buffers) {
                if (!out.add(b)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A whole JSON answer (a server that ignored "stream"), up to {@code openai.limit.body}. */
    private byte[] readJson(Opened opened) {
        BodyBytes out = new BodyBytes(config.limits().body());
        if (!readInto(out, opened.body, opened.sentAt)) {
            throw tooLarge("a JSON answer", out.limit(), Limits.BODY,
                    config.redact(HttpErrors.excerpt(out.head(4 * HttpErrors.EXCERPT_CHARS))));
        }
        return out.toArray();
    }

    /** A server sent more than a limit allows: stop reading, say which limit and how to raise it. */
    private ServerException tooLarge(String what, int limit, String setting, String excerpt) {
        return new ServerException("The server at " + config.displayUrl() + " sent " + what + " larger than "
                + Limits.show(limit) + " (" + setting + "), more than any chat answer needs, so the client stopped "
                + "reading. If this server really sends that much, raise the limit, e.g. -Dhelios4j." + setting + "="
                + Limits.raised(limit) + "." + (answer.hasStarted() ? " The text so far is in partialText()." : ""),
                200, excerpt, answer.text());
    }

    /** Lets the body end so the connection can be reused; gives up quickly, the answer being complete. */
    private void drain(BodyQueue queue) {
        long until = System.nanoTime() + DRAIN_NANOS;
        try {
            while (queue.next(Math.max(1, until - System.nanoTime())) != null) {
                if (System.nanoTime() >= until) {
                    return;
                }
            }
        } catch (BodyQueue.Silence | IOException e) {
            // the answer is complete; the connection is closed by cancel() instead of reused
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the answer is complete; the caller sees the flag
        }
    }

    @Override
    public void onEvent(String type, byte[] data, int length) throws IOException {
        if (answer.done) {
            return; // nothing after [DONE] belongs to the answer
        }
        if (type.equals("error")) {
            throw streamError(data, length);
        }
        if (length == 6 && data[0] == '[' && Arrays.equals(data, 0, 6, DONE, 0, 6)) {
            answer.done = true;
            return;
        }
        parse(data, length);
    }

    private static final byte[] DONE = {'[', 'D', 'O', 'N', 'E', ']'};

    private void parse(byte[] data, int length) throws IOException {
        engine.parser().parse(data, 0, length, answer);
        if (answer.errorInChunk) {
            throw streamError(data, length);
        }
    }

    /** {@code event: error} or {@code {"error": ...}} inside a stream. */
    private LlmException streamError(byte[] data, int length) {
        int status = HttpErrors.streamErrorStatus(data, length);
        byte[] body = Arrays.copyOf(data, length);
        if (!answer.hasStarted()) {
            return HttpErrors.toException(config, model, status, body, null, "");
        }
        String excerpt = config.redact(HttpErrors.excerpt(body));
        return new ServerException("The server at " + config.displayUrl() + " reported an error mid-stream: " + excerpt
                + ". The text so far is in partialText().", status, excerpt, answer.text());
    }

    private LlmTimeoutException timeout(long limit, boolean started) {
        String which;
        Duration value;
        if (limit == totalDeadline) {
            which = "openai.timeout.total";
            value = config.totalTimeout();
        } else if (started) {
            which = "openai.timeout.idle";
            value = config.idleTimeout();
        } else {
            which = "openai.timeout.first-byte";
            value = config.firstByteTimeout();
        }
        String what = which.endsWith("total") ? "The call to " + config.displayUrl() + " took longer than "
                : which.endsWith("idle") ? "The stream from " + config.displayUrl() + " stalled for more than "
                : "The server at " + config.displayUrl() + " sent nothing for ";
        return new LlmTimeoutException(what + Format.duration(value) + " (" + which + "; raise it with that setting or "
                + "-Dhelios4j." + which + "=2m)." + (answer.hasStarted() ? " The text so far is in partialText()." : ""),
                null, answer.text());
    }

    private static long deadline(long from, Duration limit) {
        return limit.isZero() ? 0 : from + limit.toNanos();
    }

    /** The earlier of two deadlines, where 0 means none. */
    private static long earliest(long a, long b) {
        return a == 0 ? b : b == 0 ? a : (a - b <= 0 ? a : b);
    }
}
