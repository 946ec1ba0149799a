package dev.helios4j.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every helios4j provider must have. A provider's author extends this class and
 * writes one method, {@link #openClient()}:
 *
 * <pre>{@code
 * class MyProviderConformanceTest extends ProviderConformanceKit {
 *     protected LlmClient openClient() { return Llm.open("myprovider:some-model"); }
 * }
 * }</pre>
 *
 * <p>Providers that list {@link dev.helios4j.Capability#EMBEDDINGS} are checked for embeddings too
 * ({@link EmbeddingConformance}).
 *
 * <p>The model must answer deterministically at temperature 0. Override {@link #shortPrompt()} and
 * {@link #longPrompt()} when the defaults do not suit it: the short one must end on its own, the
 * long one must go on for at least a few hundred tokens. Override {@link #typedPrompt()} to have
 * typed answers checked: the model must answer it with {@link #ADA} (the JSON {@link #ADA_JSON}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ProviderConformanceKit implements EmbeddingConformance {
    private static final long HANG_GUARD_SECONDS = 60;

    /** The client under test, opened once for the class. */
    protected LlmClient client;

    /**
     * Opens a client on the provider under test. Called once for the class, and again by the
     * test that checks use after close.
     *
     * @return a fresh client; the kit closes it
     */
    protected abstract LlmClient openClient();

    /** @return a request whose answer ends on its own, within a few dozen tokens */
    protected ChatRequest.Builder shortPrompt() {
        return ChatRequest.builder().user("Hello").temperature(0.0);
    }

    /** @return a request whose answer goes on for hundreds of tokens */
    protected ChatRequest.Builder longPrompt() {
        return ChatRequest.builder().user("Count from one to one thousand, in words.").temperature(0.0);
    }

    /** @return false for a provider that may report {@link Usage#UNKNOWN} instead of counts */
    protected boolean reportsUsage() {
        return true;
    }

    @Override
    public final LlmClient sharedClient() {
        return client;
    }

    @Override
    public final LlmClient freshClient() {
        return openClient();
    }

    /** A field of work, for the typed-answer checks. */
    public enum Field { MATHEMATICS, PHYSICS, POETRY }

    /** A city, nested in {@link Person}. */
    public record City(String name, String country) { }

    /** The typed-answer checks' record: a nested record, an enum and a list. */
    public record Person(String name, int born, Field field, City city, List<String> languages) { }

    /** The value {@link #typedPrompt()} must give. */
    public static final Person ADA = new Person("Ada Lovelace", 1815, Field.MATHEMATICS,
            new City("London", "United Kingdom"), List.of("English", "French"));

    /** {@link #ADA} as JSON, for models that must be taught the answer. */
    public static final String ADA_JSON = "{\"name\": \"Ada Lovelace\", \"born\": 1815, \"field\": \"MATHEMATICS\", "
            + "\"city\": {\"name\": \"London\", \"country\": \"United Kingdom\"}, \"languages\": [\"English\", \"French\"]}";

    /**
     * A request the model answers with {@link #ADA} when asked for a {@link Person}, at
     * temperature 0; null (the default) skips the typed-answer checks. Typed answers work on any
     * provider (without a JSON-schema response format, the schema goes into the system message),
     * so every provider whose model can give this answer should return one.
     *
     * @return the request, or null
     */
    protected ChatRequest.Builder typedPrompt() {
        return null;
    }

    @BeforeAll
    final void openSharedClient() {
        client = openClient();
        assertNotNull(client, "openClient() returned null");
    }

    @AfterAll
    final void closeSharedClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void joinedPiecesEqualFinalText() throws Exception {
        for (ChatRequest request : List.of(shortPrompt().build(), longPrompt().maxTokens(24).build())) {
            BlockingQueue<String> pieces = new LinkedBlockingQueue<>();
            ChatResponse response = client.stream(request, pieces::add);
            assertFalse(response.text().isEmpty(), "the answer is empty");
            assertFalse(pieces.isEmpty(), "no piece was streamed");
            assertFalse(pieces.contains(""), "an empty piece was streamed");
            assertEquals(response.text(), String.join("", pieces), "joined pieces differ from the final text");
        }
    }

    @Test
    void streamingAndBlockingCallsGiveTheSameAnswer() {
        ChatRequest request = longPrompt().maxTokens(16).build();
        assertEquals(client.chat(request).text(), client.stream(request, piece -> { }).text());
    }

    @Test
    void usageCountsAreRealNotZeros() {
        ChatResponse response = client.chat(shortPrompt().build());
        Usage usage = response.usage();
        if (!reportsUsage() && !usage.isKnown()) {
            assertEquals(Usage.UNKNOWN, usage);
            return;
        }
        assertTrue(usage.isKnown(), "usage is unknown: " + usage);
        assertTrue(usage.promptTokens() > 0, "prompt tokens must be counted: " + usage);
        assertTrue(usage.completionTokens() > 0, "completion tokens must be counted: " + usage);
        assertEquals(usage.promptTokens() + usage.completionTokens(), usage.totalTokens(), "total: " + usage);
    }

    @Test
    void stopSequenceEndsTheAnswerBeforeIt() {
        String full = client.chat(longPrompt().maxTokens(32).build()).text();
        String stop = stopSequenceFrom(full);
        String expected = full.substring(0, full.indexOf(stop));

        BlockingQueue<String> pieces = new LinkedBlockingQueue<>();
        ChatResponse response = client.stream(longPrompt().maxTokens(32).stop(stop).build(), pieces::add);

        assertEquals(expected, response.text(), "the answer must end just before the stop sequence '" + stop + "'");
        assertEquals(expected, String.join("", pieces), "streamed pieces must not include the stop sequence");
        assertTrue(response.finishReason() == FinishReason.STOP_SEQUENCE || response.finishReason() == FinishReason.STOP,
                "finish reason " + response.finishReason());
    }

    @Test
    void maxTokensEndsWithFinishReasonLength() {
        ChatResponse response = client.chat(longPrompt().maxTokens(5).build());
        assertEquals(FinishReason.LENGTH, response.finishReason());
        assertFalse(response.text().isEmpty());
        if (response.usage().isKnown()) {
            assertEquals(5, response.usage().completionTokens(), "completion tokens with maxTokens 5");
        }
    }

    @Test
    void interruptFromTheListenerCancelsAndKeepsThePartialText() throws Exception {
        List<String> pieces = new ArrayList<>();
        GenerationCancelledException cancelled = onNewThread(() -> {
            try {
                client.stream(longPrompt().maxTokens(5_000).build(), piece -> {
                    pieces.add(piece);
                    if (pieces.size() == 3) {
                        Thread.currentThread().interrupt();
                    }
                });
                fail("the call finished although its thread was interrupted");
                return null;
            } catch (GenerationCancelledException e) {
                assertTrue(Thread.currentThread().isInterrupted(), "the interrupt flag must be set again");
                return e;
            }
        });
        assertEquals(String.join("", pieces), cancelled.partialText());
        assertEquals(3, pieces.size(), "no piece may follow the interrupt");
    }

    @Test
    void interruptFromAnotherThreadCancelsPromptly() throws Exception {
        List<String> pieces = java.util.Collections.synchronizedList(new ArrayList<>());
        // Two pieces, not one: the partial text must join several pieces, however fast the
        // interrupt lands (a busy machine lets more through; an idle one as few as this).
        CountDownLatch twoPieces = new CountDownLatch(2);
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                client.stream(longPrompt().maxTokens(5_000).build(), piece -> {
                    pieces.add(piece);
                    twoPieces.countDown();
                });
                outcome.set(new AssertionError("the call finished although its thread was interrupted"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "conformance-caller");
        caller.start();
        assertTrue(twoPieces.await(HANG_GUARD_SECONDS, TimeUnit.SECONDS), "fewer than two pieces arrived");
        caller.interrupt();
        caller.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
        assertFalse(caller.isAlive(), "the call did not stop after its thread was interrupted");
        GenerationCancelledException e = assertInstanceOf(GenerationCancelledException.class, outcome.get());
        assertEquals(String.join("", pieces), e.partialText(), "the partial text must be what was streamed");
        assertFalse(e.partialText().isEmpty());
        assertFalse(client.chat(shortPrompt().build()).text().isEmpty(), "the client must work after a cancel");
    }

    @Test
    void requestsAreNotMutated() {
        ChatRequest request = longPrompt().maxTokens(8).stop("zzz-never").seed(42).topP(0.9).topK(40)
                .message(ChatMessage.assistant("earlier answer")).user("Go on.").build();
        ChatRequest copy = request.toBuilder().build();
        client.stream(request, piece -> { });
        client.chat(request);
        assertEquals(copy, request);
        assertThrows(UnsupportedOperationException.class, () -> request.messages().add(ChatMessage.user("x")));
        assertThrows(UnsupportedOperationException.class, () -> request.stop().add("x"));
    }

    @Test
    void everyFailureIsAnLlmException() throws Exception {
        LlmClient other = openClient();
        other.close();
        assertThrows(LlmException.class, () -> other.chat("Hello"), "a call after close");

        String huge = "word ".repeat(400_000);
        assertAnswersOrFailsWithLlmException(() -> client.chat(ChatRequest.builder().user(huge).maxTokens(4).build()));
        assertAnswersOrFailsWithLlmException(() -> client.chat(shortPrompt().model("no-such-model-xyz").build()));
        assertAnswersOrFailsWithLlmException(() -> client.chat(shortPrompt().maxTokens(0).build()));

        IllegalStateException ours = new IllegalStateException("listener failed");
        RuntimeException thrown = assertThrows(RuntimeException.class,
                () -> client.stream(shortPrompt().build(), piece -> {
                    throw ours;
                }));
        assertSame(ours, thrown, "a listener's own exception must propagate unchanged");
        assertFalse(client.chat(shortPrompt().build()).text().isEmpty(), "the client must work after a failure");
    }

    @Test
    void fourThreadsCallingAtOnceAreAllAnswered() throws Exception {
        String expected = client.chat(shortPrompt().build()).text();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return client.stream(shortPrompt().build(), piece -> { }).text();
                }));
            }
            start.countDown();
            for (Future<String> answer : answers) {
                assertEquals(expected, answer.get(HANG_GUARD_SECONDS, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void typedAnswerRoundTripsIntoARecord() {
        ChatRequest.Builder prompt = typedPrompt();
        Assumptions.assumeTrue(prompt != null, "typedPrompt() is null: the typed-answer checks are skipped");
        ChatRequest request = prompt.build();
        ChatRequest copy = request.toBuilder().build();
        assertEquals(ADA, client.chat(request, Person.class));
        assertEquals(copy, request, "a typed call must not change the request");
    }

    @Test
    void streamedTypedAnswerShowsRawPiecesAndGivesTheValueAtTheEnd() {
        ChatRequest.Builder prompt = typedPrompt();
        Assumptions.assumeTrue(prompt != null, "typedPrompt() is null: the typed-answer checks are skipped");
        List<String> pieces = new ArrayList<>();
        List<ChatResponse> completed = new ArrayList<>();
        Person person = client.stream(prompt.build(), Person.class, new dev.helios4j.StreamListener() {
            @Override
            public void onToken(String piece) {
                assertTrue(completed.isEmpty(), "a piece after the answer was complete");
                pieces.add(piece);
            }

            @Override
            public void onComplete(ChatResponse response) {
                completed.add(response);
            }
        });
        assertEquals(ADA, person);
        assertEquals(1, completed.size(), "one answer, which fitted the first time");
        assertEquals(completed.get(0).text(), String.join("", pieces), "the listener sees the raw answer");
        assertTrue(completed.get(0).text().contains("Ada Lovelace"), completed.get(0).text());
    }

    /** A stop sequence that first occurs in the middle of {@code text}, not at its start. */
    private static String stopSequenceFrom(String text) {
        for (int at = text.length() / 2; at < text.length() - 1; at++) {
            String candidate = text.substring(at, Math.min(text.length(), at + 3)).strip();
            if (!candidate.isEmpty() && text.indexOf(candidate) > 0) {
                return candidate;
            }
        }
        throw new AssertionError("the long prompt's answer is too short to test stop sequences: '" + text + "'");
    }

    private static void assertAnswersOrFailsWithLlmException(Runnable call) {
        try {
            call.run();
        } catch (Throwable t) {
            assertInstanceOf(LlmException.class, t, "a failure must be an LlmException: " + t);
        }
    }

    private static <T> T onNewThread(java.util.concurrent.Callable<T> body) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(body.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "conformance-caller");
        thread.start();
        thread.join(TimeUnit.SECONDS.toMillis(HANG_GUARD_SECONDS));
        assertFalse(thread.isAlive(), "the call did not end");
        if (failure.get() instanceof Error err) {
            throw err;
        } else if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertNotNull(result.get());
        return result.get();
    }
}
