package dev.helios4j.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.ResponseFormat;
import dev.helios4j.Tool;
import dev.helios4j.ToolCall;
import dev.helios4j.ToolChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request body carries every field the API defines, and nothing the caller left unset. */
class RequestWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RequestWriter writer = new RequestWriter(JSON);

    private JsonNode write(ChatRequest request, String model, boolean maxCompletionTokens) throws Exception {
        return JSON.readTree(writer.write(request, model, maxCompletionTokens, true));
    }

    @Test
    void minimalRequestSendsOnlyModelMessagesAndStreaming() throws Exception {
        JsonNode body = write(ChatRequest.of("Hi"), "gpt-4o-mini", false);
        assertEquals(JSON.readTree("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}"), body);
    }

    @Test
    void emptyModelIsLeftOutForSingleModelServers() throws Exception {
        assertFalse(write(ChatRequest.of("Hi"), "", false).has("model"));
    }

    @Test
    void everySettingIsSent() throws Exception {
        ChatRequest request = ChatRequest.builder().system("Be terse.").user("Weather?")
                .message(ChatMessage.assistant("", List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))))
                .message(ChatMessage.toolResult("call_1", "{\"c\":21}"))
                .temperature(0.2).topP(0.9).topK(40).minP(0.05).repeatPenalty(1.1).maxTokens(64)
                .stop("\n\n", "END").seed(42)
                .tool(new Tool("get_weather", "Current weather", "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}"))
                .toolChoice(ToolChoice.tool("get_weather"))
                .responseFormat(ResponseFormat.jsonSchema("weather", "{\"type\":\"object\"}"))
                .build();
        JsonNode b = write(request, "m", false);
        assertEquals("system", b.at("/messages/0/role").asText());
        assertTrue(b.at("/messages/2/content").isNull(), "an assistant message with only tool calls has null content");
        assertEquals("call_1", b.at("/messages/2/tool_calls/0/id").asText());
        assertEquals("function", b.at("/messages/2/tool_calls/0/type").asText());
        assertEquals("{\"city\":\"Paris\"}", b.at("/messages/2/tool_calls/0/function/arguments").asText());
        assertEquals("tool", b.at("/messages/3/role").asText());
        assertEquals("call_1", b.at("/messages/3/tool_call_id").asText());
        assertEquals(0.2, b.get("temperature").asDouble());
        assertEquals(0.9, b.get("top_p").asDouble());
        assertEquals(40, b.get("top_k").asInt());
        assertEquals(0.05, b.get("min_p").asDouble());
        assertEquals(1.1, b.get("repeat_penalty").asDouble());
        assertEquals(64, b.get("max_tokens").asInt());
        assertEquals(JSON.readTree("[\"\\n\\n\",\"END\"]"), b.get("stop"));
        assertEquals(42, b.get("seed").asLong());
        assertEquals("string", b.at("/tools/0/function/parameters/properties/city/type").asText(),
                "the schema is sent as JSON, not as a string");
        assertEquals("Current weather", b.at("/tools/0/function/description").asText());
        assertEquals(JSON.readTree("{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}"), b.get("tool_choice"));
        assertEquals(JSON.readTree("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"weather\",\"schema\":{\"type\":\"object\"}}}"),
                b.get("response_format"));
    }

    @Test
    void maxCompletionTokensReplacesMaxTokensWhenAskedFor() throws Exception {
        JsonNode b = write(ChatRequest.builder().user("Hi").maxTokens(10).build(), "o3-mini", true);
        assertEquals(10, b.get("max_completion_tokens").asInt());
        assertFalse(b.has("max_tokens"));
    }

    @Test
    void toolChoiceWordsAndJsonObjectFormat() throws Exception {
        JsonNode b = write(ChatRequest.builder().user("Hi").toolChoice(ToolChoice.REQUIRED)
                .responseFormat(ResponseFormat.jsonObject()).build(), "m", false);
        assertEquals("required", b.get("tool_choice").asText());
        assertEquals(JSON.readTree("{\"type\":\"json_object\"}"), b.get("response_format"));
    }

    @Test
    void everyToolChoiceModeIsSentAsOpenAisWord() throws Exception {
        assertEquals("auto", write(ChatRequest.builder().user("Hi").toolChoice(ToolChoice.AUTO).build(), "m", false)
                .get("tool_choice").asText());
        assertEquals("none", write(ChatRequest.builder().user("Hi").toolChoice(ToolChoice.NONE).build(), "m", false)
                .get("tool_choice").asText());
        assertFalse(write(ChatRequest.of("Hi"), "m", false).has("tool_choice"), "unset leaves the server's default");
    }

    @Test
    void aToolNamedLikeAModeCanStillBeForced() throws Exception {
        JsonNode b = write(ChatRequest.builder().user("Hi").tool(new Tool("auto", "", "{\"type\":\"object\"}"))
                .toolChoice(ToolChoice.tool("auto")).build(), "m", false);
        assertEquals(JSON.readTree("{\"type\":\"function\",\"function\":{\"name\":\"auto\"}}"), b.get("tool_choice"));
    }

    @Test
    void aStrictSchemaFormatCarriesOpenAisStrictFlag() throws Exception {
        JsonNode b = write(ChatRequest.builder().user("Hi")
                .responseFormat(ResponseFormat.jsonSchema("Person", "{\"type\":\"object\"}", true)).build(), "m", false);
        assertEquals(JSON.readTree("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"Person\",\"strict\":true,"
                + "\"schema\":{\"type\":\"object\"}}}"), b.get("response_format"));
    }

    @Test
    void invalidSchemaFailsBeforeSendingAndNamesTheTool() {
        ChatRequest request = ChatRequest.builder().user("Hi").tool(new Tool("broken", "", "{not json")).build();
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> writer.write(request, "m", false, true));
        assertTrue(e.getMessage().contains("'broken'"), e.getMessage());
    }
}
