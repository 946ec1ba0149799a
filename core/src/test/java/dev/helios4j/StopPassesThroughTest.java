package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.helios4j.spi.ChatEngine;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * JShell's stop (Ctrl-C) throws a {@code ThreadDeath} subclass into the snippet's thread, wherever
 * it is, often inside the provider. JShell recognises only its own instance, or one directly as a
 * cause: wrapped as "a bug in the provider" the stop would show as a failure. So it passes through
 * the client unchanged, and a conversation keeps the part of the answer that was shown.
 */
class StopPassesThroughTest {
    /** Shaped like jdk.jshell's RemoteExecutionControl.StopExecutionException. */
    private static final class JShellLikeStop extends ThreadDeath {
        private static final long serialVersionUID = 1L;
    }

    private final JShellLikeStop stop = new JShellLikeStop();

    /** Streams two pieces, then is stopped while it waits for the third. */
    private final ChatEngine stoppedMidAnswer = new ChatEngine() {
        @Override
        public ChatResponse stream(ChatRequest request, StreamListener listener) {
            listener.onToken("Once");
            listener.onToken(" upon");
            throw stop;
        }

        @Override
        public void close() {
        }
    };

    private final LlmClient client = new LlmClient("stopped", "stopped:test", "stopped", stoppedMidAnswer);

    @Test
    void aStopThrownInsideTheProviderLeavesStreamUnchanged() {
        List<String> shown = new ArrayList<>();
        assertSame(stop, assertThrows(ThreadDeath.class, () -> client.stream("Tell me a story", shown::add)));
        assertEquals(List.of("Once", " upon"), shown);
    }

    @Test
    void aStopThrownInsideTheProviderLeavesChatUnchanged() {
        assertSame(stop, assertThrows(ThreadDeath.class, () -> client.chat("Tell me a story")));
    }

    @Test
    void aStoppedTurnKeepsItsQuestionAndPartialAnswerInTheConversation() {
        Conversation c = client.conversation();
        assertSame(stop, assertThrows(ThreadDeath.class, () -> c.stream("Tell me a story", piece -> { })));
        assertEquals(List.of(ChatMessage.user("Tell me a story"), ChatMessage.assistant("Once upon")), c.messages());
    }
}
