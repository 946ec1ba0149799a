package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.AuthenticationException;
import dev.helios4j.ChatMessage;
import dev.helios4j.ChatResponse;
import dev.helios4j.FinishReason;
import dev.helios4j.LlmException;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.Secret;
import dev.helios4j.Timings;
import dev.helios4j.Usage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderingTest {
    private static ChatResponse response(String text, Usage usage, FinishReason reason, double rate) {
        return new ChatResponse(ChatMessage.assistant(text), usage, reason,
                new Timings(Duration.ofMillis(5), Duration.ofMillis(50), rate), "tiny-model");
    }

    @Test
    void doneAnswerIsMarkdownWithAPlainTwinAndAFooterOfModelTokensAndSpeed() {
        Output out = new AnswerFormat("demo", true, "", "")
                .done(response("**Hi** there", Usage.of(4, 3), FinishReason.STOP, 812.34));
        assertEquals("text/markdown", out.richMime());
        assertEquals("**Hi** there\n\n<sub>tiny-model · 3 tokens · 812.3 tokens/s</sub>", out.rich());
        assertEquals("**Hi** there\n\n[tiny-model · 3 tokens · 812.3 tokens/s]", out.plain());
        assertEquals(Map.of("text/markdown", out.rich(), "text/plain", out.plain()), out.bundle());
    }

    @Test
    void footerTurnedOffLeavesExactlyTheAnswer() {
        Output out = new AnswerFormat("demo", false, "", "")
                .done(response("Hello! You said: Hello", Usage.of(4, 5), FinishReason.STOP, 10));
        assertEquals("Hello! You said: Hello", out.plain());
        assertEquals("Hello! You said: Hello", out.rich());
    }

    @Test
    void footerSaysWhenUsageOrSpeedIsUnknownAndWhenTheAnswerWasCutAtTheLimit() {
        AnswerFormat format = new AnswerFormat("openai:x", true, "", "");
        ChatResponse r = new ChatResponse(ChatMessage.assistant("a"), Usage.UNKNOWN, FinishReason.LENGTH,
                new Timings(null, Duration.ofMillis(5), Double.NaN), "");
        assertEquals("openai:x · tokens unknown · cut off at the token limit", format.footerLine(r));
    }

    @Test
    void stoppedAnswerKeepsThePartialTextAndSaysItWasStoppedEvenWithoutFooter() {
        Output out = new AnswerFormat("demo", false, "", "").stopped("one two three");
        assertEquals("one two three\n\n[⏹ stopped]", out.plain());
        assertTrue(out.rich().startsWith("one two three\n\n<sub>⏹ stopped"));
    }

    @Test
    void codeFenceLeftOpenByACutAnswerIsClosedSoTheFooterStaysOutsideIt() {
        Output out = new AnswerFormat("demo", true, "", "").stopped("Here:\n```java\nint x = 1;");
        assertTrue(out.rich().startsWith("Here:\n```java\nint x = 1;\n```\n\n<sub>"), out.rich());
        assertEquals("a\n```\nb\n```", AnswerFormat.closeFences("a\n```\nb\n```"));
    }

    @Test
    void streamingShowsACursorInMarkdownOnlyAndTheHeaderAboveTheAnswer() {
        Output out = new AnswerFormat("demo", true, "**You:** hi\n\n**demo:**\n\n", "You: hi\ndemo: ").streaming("Hel");
        assertEquals("**You:** hi\n\n**demo:**\n\nHel ▍", out.rich());
        assertEquals("You: hi\ndemo: Hel", out.plain());
    }

    @Test
    void failureShowsTitleAndWhatToDoWithoutStackTraceAndKeepsPartialText() {
        Output out = new AnswerFormat("demo", true, "", "").failed("partial words",
                new ModelNotFoundException("No GGUF at /m/x.gguf.", "huggingface-cli download org/repo x.gguf", null));
        assertTrue(out.plain().startsWith("partial words\n\n⚠ Model not found\nNo GGUF at /m/x.gguf. To fetch it, run: "
                + "huggingface-cli download org/repo x.gguf"), out.plain());
        assertTrue(out.rich().startsWith("partial words\n\n> **⚠ Model not found**"), out.rich());
        assertFalse(out.plain().contains("\tat "), "no stack trace");
    }

    @Test
    void errorBlockNeverShowsAKey() {
        String key = "sk-proj-abcdefghijklmnop1234";
        Output out = new AnswerFormat("demo", true, "", "").failed("",
                new AuthenticationException("Bad key " + key + " (header Authorization: Bearer " + key + ")", 401, null));
        assertFalse(out.plain().contains("abcdefghijklmnop"), out.plain());
        assertFalse(out.rich().contains("abcdefghijklmnop"), out.rich());
        assertTrue(out.plain().startsWith("⚠ The server refused the credentials"));
    }

    @Test
    void secretEnvironmentValuesAreMaskedWhereverTheyAppear() {
        String redacted = ErrorReport.redact("proxy said: hunter2-secret-value denied; api_key=abcd1234 x",
                Map.of("MY_PROXY_TOKEN", "hunter2-secret-value", "HOME", "/root"));
        assertEquals("proxy said: **** denied; api_key=**** x", redacted);
    }

    @Test
    void urlCredentialsInAMessageAreMaskedInTheErrorBlock() {
        Output out = new AnswerFormat("demo", true, "", "").failed("", new LlmException(
                "Could not reach http://alice:pw-Zx81-not-key-shaped@proxy.example/v1?key=q-Zx82-in-query&api-version=1: "
                        + "refused. The models are at https://plain.example/v1/models."));
        for (String text : new String[] {out.plain(), out.rich()}) {
            assertFalse(text.contains("Zx81") || text.contains("Zx82"), text);
        }
        assertTrue(out.plain().contains("http://alice:" + Secret.MASK + "@proxy.example/v1?key=" + Secret.MASK
                + "&api-version=1: refused"), out.plain());
        assertTrue(out.plain().contains("https://plain.example/v1/models."), "a URL without credentials is left alone");
    }

    @Test
    void errorBlockMasksWithTheLibrarysOneMask() {
        assertEquals("key " + Secret.MASK, ErrorReport.redact("key sk-abcdefghijklmnop", Map.of()));
    }

    @Test
    void settingNamesAreNotTakenForHubTokensButTokensAre() {
        String advice = "Check the network or HF_ENDPOINT; set HF_HUB_OFFLINE=1 to use only the cache.";
        assertEquals(advice, ErrorReport.redact(advice, Map.of()));
        assertEquals("token " + Secret.MASK, ErrorReport.redact("token hf_AbCdEfGhIjKlMnOpQrStUvWxYz01234567", Map.of()));
    }

    @Test
    void unexpectedExceptionNamesItsTypeAndPointsToLastError() {
        ErrorReport r = ErrorReport.of(new IllegalStateException("boom"));
        assertEquals("Unexpected error", r.title());
        assertTrue(r.detail().startsWith("java.lang.IllegalStateException: boom"));
        assertTrue(r.detail().contains("Notebook.lastError()"));
    }

    @Test
    void markdownInErrorMessagesIsEscapedSoSettingNamesShowLiterally() {
        assertEquals("helios4j\\_model \\*", Markdown.escape("helios4j_model *"));
        assertEquals("&lt;b&gt; &amp; &quot;", Markdown.escapeHtml("<b> & \""));
    }
}
