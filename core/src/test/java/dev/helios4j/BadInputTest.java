package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad input is an LlmException subtype whose message says what to do. */
class BadInputTest {
    private static final Settings NO_CONFIG = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"));

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void blankSpecSaysWhatASpecLooksLike(String spec) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Llm.open(spec, NO_CONFIG));
        assertTrue(e.getMessage().contains("PROVIDER:MODEL"), e.getMessage());
        assertTrue(e.getMessage().contains("Examples: demo"), e.getMessage());
    }

    @Test
    void nullSpecIsAnInvalidRequest() {
        assertThrows(InvalidRequestException.class, () -> Llm.open((String) null, NO_CONFIG));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt-4o-mini", ":model", "no provider here", "-x:y"})
    void malformedSpecListsAliasesAndForm(String spec) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Llm.open(spec, NO_CONFIG));
        assertTrue(e.getMessage().contains("neither PROVIDER:MODEL nor a known alias"), e.getMessage());
        assertTrue(e.getMessage().contains("Known aliases: demo"), e.getMessage());
    }

    @Test
    void bareModelFileSuggestsTheLlamacppPrefix() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> Llm.open("/models/tiny.gguf", NO_CONFIG));
        assertTrue(e.getMessage().contains("llamacpp:/models/tiny.gguf"), e.getMessage());
    }

    @Test
    void unknownProviderIsProviderNotFound() {
        ProviderNotFoundException e = assertThrows(ProviderNotFoundException.class, () -> Llm.open("nosuch:thing", NO_CONFIG));
        assertTrue(e.getMessage().contains("'nosuch'"), e.getMessage());
        assertTrue(e.getMessage().contains("nosuch:thing"), e.getMessage());
    }

    @Test
    void nullOrEmptyMessagesAreRejected() {
        InvalidRequestException empty = assertThrows(InvalidRequestException.class, () -> ChatRequest.builder().build());
        assertTrue(empty.getMessage().contains("at least one message"), empty.getMessage());
        assertThrows(InvalidRequestException.class, () -> ChatRequest.builder().build().withMessages(null));
        List<ChatMessage> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(InvalidRequestException.class, () -> ChatRequest.of("x").withMessages(withNull));
        assertThrows(InvalidRequestException.class, () -> ChatMessage.user(null));
    }

    @Test
    void negativeMaxTokensIsRejectedWithTheValue() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> ChatRequest.builder().user("Hi").maxTokens(-1).build());
        assertTrue(e.getMessage().contains("maxTokens must be 0 or more, got -1"), e.getMessage());
    }

    @Test
    void negativeRetriesAreRejectedAndACountSurvivesToBuilder() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> ChatRequest.builder().user("Hi").retries(-1).build());
        assertTrue(e.getMessage().contains("retries must be 0 or more, got -1"), e.getMessage());
        ChatRequest once = ChatRequest.builder().user("Hi").retries(0).build();
        assertEquals(0, once.toBuilder().build().retries());
        assertEquals(0, once.withMessages(List.of(ChatMessage.user("other"))).retries());
        assertEquals(null, ChatRequest.of("Hi").retries(), "unset: the provider's own setting applies");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 2.01, Double.NaN, Double.POSITIVE_INFINITY})
    void temperatureOutsideZeroToTwoIsRejected(double t) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> ChatRequest.builder().user("Hi").temperature(t).build());
        assertTrue(e.getMessage().contains("temperature must be between 0 and 2"), e.getMessage());
    }

    @Test
    void temperatureBoundsAreAccepted() {
        assertEquals(0.0, ChatRequest.builder().user("Hi").temperature(0).build().temperature());
        assertEquals(2.0, ChatRequest.builder().user("Hi").temperature(2).build().temperature());
    }

    @Test
    void otherSamplingSettingsAreChecked() {
        assertThrows(InvalidRequestException.class, () -> ChatRequest.builder().user("Hi").topP(0).build());
        assertThrows(InvalidRequestException.class, () -> ChatRequest.builder().user("Hi").topK(0).build());
        assertThrows(InvalidRequestException.class, () -> ChatRequest.builder().user("Hi").minP(1.5).build());
        assertThrows(InvalidRequestException.class, () -> ChatRequest.builder().user("Hi").repeatPenalty(0).build());
        assertThrows(InvalidRequestException.class, () -> ChatRequest.builder().user("Hi").stop("").build());
    }

    @Test
    void toolMessagesMustNameTheirCallAndOnlyAssistantsCallTools() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ChatMessage.toolResult("", "42"));
        assertTrue(e.getMessage().contains("ChatMessage.toolResult(callId, text)"), e.getMessage());
        assertThrows(InvalidRequestException.class,
                () -> new ChatMessage(Role.USER, "x", List.of(new ToolCall("1", "f", "{}")), ""));
        assertThrows(InvalidRequestException.class, () -> new Tool("bad name", "", "{}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void forcingAToolNeedsItsName(String name) {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ToolChoice.tool(name));
        assertTrue(e.getMessage().contains("ToolChoice.AUTO"), e.getMessage());
        assertThrows(InvalidRequestException.class, () -> ToolChoice.tool(null));
    }

    @Test
    void aToolNamedLikeAModeIsNotThatMode() {
        assertEquals(ToolChoice.Mode.TOOL, ToolChoice.tool("auto").mode());
        assertEquals("auto", ToolChoice.tool("auto").toolName());
        assertTrue(!ToolChoice.tool("auto").equals(ToolChoice.AUTO));
    }

    @Test
    void nullRequestIsAnInvalidRequestNotANullPointer() {
        try (LlmClient llm = AcmeConformanceTest.openAcme("x")) {
            assertThrows(InvalidRequestException.class, () -> llm.chat((ChatRequest) null));
        }
    }
}
