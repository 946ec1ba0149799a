package dev.helios4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * A multi-turn chat that remembers its history. Get one from {@link LlmClient#conversation()}.
 *
 * <pre>{@code
 * Conversation c = llm.conversation("Be terse.");
 * c.send("Hi");
 * c.send("And then?");
 * }</pre>
 *
 * <p>The history can be kept within a window: the last {@link #keepLastMessages(int) n messages}
 * (the history itself, {@link #messages()}, holds no more), or a {@link #keepTokens(int) token
 * budget} for the prompt, counted with the model's own tokenizer where the provider can count
 * (otherwise estimated at four characters a token). The system message is always kept, and turns
 * are dropped whole, oldest first. With {@link #dropOldestWhenFull(boolean)}, a prompt the model's
 * context cannot hold drops its oldest turns and is retried instead of failing.
 *
 * <p>When a turn fails after the model began answering (cancelled, timed out, cut off, or the
 * listener threw), the question and the partial answer are both kept in the history, so nothing
 * shown is lost; when it fails before any text, the history is unchanged. Thread-safe: turns are
 * taken one at a time.
 */
public final class Conversation {
    private static final int CHARS_PER_TOKEN_ESTIMATE = 4;

    private final LlmClient client;
    private final ChatMessage system;
    private final List<ChatMessage> history = new ArrayList<>();
    /** Holds the sampling settings; its placeholder message is replaced on every turn. */
    private ChatRequest settings = ChatRequest.of("-");
    private int maxMessages;
    private int maxTokens;
    private boolean dropOldestWhenFull;
    private ChatResponse lastResponse;

    Conversation(LlmClient client, String systemPrompt) {
        this.client = Objects.requireNonNull(client, "client");
        this.system = systemPrompt == null || systemPrompt.isEmpty() ? null : ChatMessage.system(systemPrompt);
    }

    /**
     * Sends a user turn and returns the answer's text.
     *
     * @param userText the user's message; never null
     * @return the answer; never null
     * @throws LlmException on any failure
     */
    public String send(String userText) {
        return stream(userText, null).text();
    }

    /**
     * Sends a user turn, passing the answer to {@code listener} piece by piece.
     *
     * @param userText the user's message; never null
     * @param listener receives each piece on this thread, or null for none
     * @return the whole answer; never null
     * @throws LlmException on any failure, carrying the text produced so far
     * @throws RuntimeException what the listener threw, unchanged; the text it was given is kept
     *     in the history as the turn's answer
     */
    public synchronized ChatResponse stream(String userText, StreamListener listener) {
        ChatMessage question = ChatMessage.user(userText);
        List<ChatMessage> turns = new ArrayList<>(history);
        turns.add(question);
        trimToWindow(turns);
        while (true) {
            ChatRequest request = settings.withMessages(withSystem(turns));
            Shown shown = listener == null ? null : new Shown(listener);
            try {
                ChatResponse response = shown == null ? client.chat(request) : client.stream(request, shown);
                remember(question, response.message());
                lastResponse = response;
                return response;
            } catch (ContextLengthExceededException e) {
                if (!dropOldestWhenFull || !dropOldestTurn(turns)) {
                    throw e;
                }
            } catch (LlmException e) {
                String partial = !e.partialText().isEmpty() ? e.partialText() : shown == null ? "" : shown.text();
                if (!partial.isEmpty()) {
                    remember(question, ChatMessage.assistant(partial));
                }
                throw e;
            } catch (RuntimeException | Error e) {
                // The listener threw (LlmClient turns every other failure into an LlmException).
                if (shown != null && !shown.text().isEmpty()) {
                    remember(question, ChatMessage.assistant(shown.text()));
                }
                throw e;
            }
        }
    }

    /**
     * Sets the sampling settings used for every turn; messages set on the builder are ignored.
     *
     * @param configure sets temperature, maxTokens, stop sequences and so on; never null
     * @return this conversation
     */
    public synchronized Conversation configure(Consumer<ChatRequest.Builder> configure) {
        ChatRequest.Builder b = ChatRequest.builder();
        configure.accept(b);
        this.settings = b.user("-").build(); // checks the settings now rather than on the next turn
        return this;
    }

    /**
     * Keeps at most {@code n} messages of history, besides the system message: in
     * {@link #messages()} and in what is sent (there, the new question counts as one). Older turns
     * are dropped whole, at once and after each turn; a turn is a question and its answer, so
     * {@code keepLastMessages(1)} keeps no turn and sends each question alone.
     *
     * @param n at least 1, or 0 for no limit
     * @return this conversation
     */
    public synchronized Conversation keepLastMessages(int n) {
        if (n < 0) {
            throw new InvalidRequestException("keepLastMessages must be 0 (no limit) or more, got " + n + ".");
        }
        this.maxMessages = n;
        trimHistory();
        return this;
    }

    /**
     * Keeps the prompt within {@code tokens} tokens by dropping the oldest turns.
     *
     * @param tokens at least 1, or 0 for no limit
     * @return this conversation
     */
    public synchronized Conversation keepTokens(int tokens) {
        if (tokens < 0) {
            throw new InvalidRequestException("keepTokens must be 0 (no limit) or more, got " + tokens + ".");
        }
        this.maxTokens = tokens;
        return this;
    }

    /**
     * @param drop whether a prompt too long for the model's context drops its oldest turns and is
     *     retried, rather than failing with {@link ContextLengthExceededException}
     * @return this conversation
     */
    public synchronized Conversation dropOldestWhenFull(boolean drop) {
        this.dropOldestWhenFull = drop;
        return this;
    }

    /** @return the whole history, system message first; an immutable copy */
    public synchronized List<ChatMessage> messages() {
        return List.copyOf(withSystem(history));
    }

    /** @return the last answer, or null before the first */
    public synchronized ChatResponse lastResponse() {
        return lastResponse;
    }

    /** Forgets the history; the system message and settings stay. */
    public synchronized void clear() {
        history.clear();
        lastResponse = null;
    }

    /** @return the client this conversation talks to */
    public LlmClient client() {
        return client;
    }

    @Override
    public synchronized String toString() {
        StringBuilder s = new StringBuilder();
        for (ChatMessage m : withSystem(history)) {
            s.append(m).append('\n');
        }
        return s.toString();
    }

    private List<ChatMessage> withSystem(List<ChatMessage> turns) {
        if (system == null) {
            return turns;
        }
        List<ChatMessage> all = new ArrayList<>(turns.size() + 1);
        all.add(system);
        all.addAll(turns);
        return all;
    }

    private void remember(ChatMessage question, ChatMessage answer) {
        history.add(question);
        history.add(answer);
        trimHistory();
    }

    /** Drops whole turns, oldest first, the newest too if need be, until at most maxMessages are left. */
    private void trimHistory() {
        while (maxMessages > 0 && history.size() > maxMessages) {
            if (!dropOldestTurn(history)) {
                history.clear(); // one turn is left, and it alone is longer than the window
            }
        }
    }

    private void trimToWindow(List<ChatMessage> turns) {
        while (maxMessages > 0 && turns.size() > maxMessages && dropOldestTurn(turns)) {
            // dropped one turn
        }
        while (maxTokens > 0 && tokens(withSystem(turns)) > maxTokens && dropOldestTurn(turns)) {
            // dropped one turn
        }
    }

    /** Passes pieces on to the caller's listener, keeping what it was given. */
    private static final class Shown implements StreamListener {
        private final StreamListener target;
        private final StringBuilder text = new StringBuilder();

        Shown(StreamListener target) {
            this.target = target;
        }

        String text() {
            return text.toString();
        }

        @Override
        public void onToken(String piece) {
            text.append(piece);
            target.onToken(piece);
        }

        @Override
        public void onToolCall(ToolCall call) {
            target.onToolCall(call);
        }

        @Override
        public void onComplete(ChatResponse response) {
            target.onComplete(response);
        }
    }

    /** Drops the oldest turn: a user message and every message up to the next one. */
    private static boolean dropOldestTurn(List<ChatMessage> turns) {
        int nextUser = -1;
        for (int i = 1; i < turns.size(); i++) {
            if (turns.get(i).role() == Role.USER) {
                nextUser = i;
                break;
            }
        }
        if (nextUser < 0) {
            return false; // only the newest question is left
        }
        turns.subList(0, nextUser).clear();
        return true;
    }

    private int tokens(List<ChatMessage> messages) {
        OptionalInt counted = client.countTokens(messages);
        if (counted.isPresent()) {
            return counted.getAsInt();
        }
        int chars = 0;
        for (ChatMessage m : messages) {
            chars += m.content().length() + 8;
        }
        return chars / CHARS_PER_TOKEN_ESTIMATE;
    }
}
