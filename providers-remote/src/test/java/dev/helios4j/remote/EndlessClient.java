package dev.helios4j.remote;

import dev.helios4j.Llm;
import dev.helios4j.LlmClient;

/**
 * Runs in a child JVM with a small heap ({@link BoundedMemoryTest}): one chat per base URL given,
 * with the default limits, and one line of outcome per call on stdout.
 */
public final class EndlessClient {
    private EndlessClient() {
    }

    public static void main(String[] args) {
        for (String url : args) {
            String outcome;
            try (LlmClient client = Llm.open("openai:m", Transcripts.NO_CONFIG.with("openai.base-url", url))) {
                outcome = "returned " + client.chat("Hi").length() + " chars";
            } catch (Throwable t) { // OutOfMemoryError included: that is what the parent looks for
                outcome = t.getClass().getSimpleName() + ": " + t.getMessage() + " | partial="
                        + (t instanceof dev.helios4j.LlmException e ? e.partialText() : "");
            }
            System.out.println(outcome.replace('\n', ' '));
            System.out.flush();
        }
    }
}
