package dev.helios4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TypedSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Description("a trip")
    record Trip(@Description("where to") String destination, int nights, Optional<String> hotel, Kind kind,
                List<Stop> stops) { }

    record Stop(String city, double price) { }

    @Description("how one travels")
    enum Kind { TRAIN, PLANE }

    record Loop(String name, List<Loop> children) { }

    record WithMap(Map<String, String> tags) { }

    record Numbers(long big, BigDecimal exact, boolean flag, Set<Integer> ids, String[] words) { }

    @Test
    void recordBecomesAStrictObjectWithComponentsInOrder() throws Exception {
        TypedSchema s = TypedSchema.of(Trip.class);
        String expected = """
                {"type":"object","description":"a trip","properties":{
                  "destination":{"type":"string","description":"where to"},
                  "nights":{"type":"integer"},
                  "hotel":{"anyOf":[{"type":"string"},{"type":"null"}]},
                  "kind":{"type":"string","enum":["TRAIN","PLANE"],"description":"how one travels"},
                  "stops":{"type":"array","items":{"type":"object","properties":{
                     "city":{"type":"string"},"price":{"type":"number"}},
                     "required":["city","price"],"additionalProperties":false}}},
                 "required":["destination","nights","hotel","kind","stops"],"additionalProperties":false}""";
        assertEquals(JSON.readTree(expected), s.schema());
        assertEquals(List.of("destination", "nights", "hotel", "kind", "stops"),
                List.copyOf(iterable(s.schema().get("properties").fieldNames())), "declaration order");
        assertEquals("Trip", s.name());
        assertTrue(!s.wrapped());
    }

    @Test
    void numbersBooleansSetsAndArraysMapToJsonTypes() throws Exception {
        String expected = """
                {"type":"object","properties":{"big":{"type":"integer"},"exact":{"type":"number"},
                 "flag":{"type":"boolean"},"ids":{"type":"array","items":{"type":"integer"}},
                 "words":{"type":"array","items":{"type":"string"}}},
                 "required":["big","exact","flag","ids","words"],"additionalProperties":false}""";
        assertEquals(JSON.readTree(expected), TypedSchema.of(Numbers.class).schema());
    }

    @Test
    void aRootThatIsNotARecordIsWrappedInAnObject() throws Exception {
        TypedSchema s = TypedSchema.of(Kind[].class);
        assertTrue(s.wrapped());
        assertEquals(JSON.readTree("""
                {"type":"object","properties":{"value":{"type":"array","items":
                  {"type":"string","enum":["TRAIN","PLANE"],"description":"how one travels"}}},
                 "required":["value"],"additionalProperties":false}"""), s.schema());
        Kind[] kinds = TypedAnswers.<Kind[]>parse(s, "{\"value\": [\"PLANE\", \"TRAIN\"]}").value;
        assertEquals(List.of(Kind.PLANE, Kind.TRAIN), List.of(kinds));
        assertEquals("Kind_list", s.name());
        assertEquals(Integer.valueOf(7), TypedAnswers.<Integer>parse(TypedSchema.of(Integer.class), "{\"value\":7}").value);
    }

    @Test
    void typesNoJsonAnswerCanFillAreRefusedSayingWhatToUse() {
        InvalidRequestException loop = assertThrows(InvalidRequestException.class, () -> TypedSchema.of(Loop.class));
        assertTrue(loop.getMessage().contains("contains itself"), loop.getMessage());
        InvalidRequestException map = assertThrows(InvalidRequestException.class, () -> TypedSchema.of(WithMap.class));
        assertTrue(map.getMessage().contains("WithMap.tags") && map.getMessage().contains("List of records"), map.getMessage());
        InvalidRequestException raw = assertThrows(InvalidRequestException.class, () -> TypedSchema.of(List.class));
        assertTrue(raw.getMessage().contains("Person[].class"), raw.getMessage());
        InvalidRequestException object = assertThrows(InvalidRequestException.class, () -> TypedSchema.of(Object.class));
        assertTrue(object.getMessage().contains("use a record"), object.getMessage());
        assertThrows(InvalidRequestException.class, () -> TypedSchema.of(null));
    }

    @Test
    void anAnswerInProseOrACodeFenceIsFoundAndBound() {
        TypedSchema s = TypedSchema.of(Trip.class);
        String raw = "Sure! Here it is:\n```json\n{\"destination\": \"Rome\", \"nights\": 3, \"hotel\": null, "
                + "\"kind\": \"TRAIN\", \"stops\": [{\"city\": \"Milan\", \"price\": 12.5}]}\n```\nEnjoy.";
        TypedAnswers.Parsed<Trip> p = TypedAnswers.parse(s, raw);
        assertNull(p.problem);
        assertEquals(new Trip("Rome", 3, Optional.empty(), Kind.TRAIN, List.of(new Stop("Milan", 12.5))), p.value);
        Trip withHotel = TypedAnswers.<Trip>parse(s, "{\"destination\":\"Rome\",\"nights\":3,\"hotel\":\"Roma\","
                + "\"kind\":\"PLANE\",\"stops\":[]}").value;
        assertEquals(Optional.of("Roma"), withHotel.hotel());
        Trip hotelLeftOut = TypedAnswers.<Trip>parse(s, "{\"destination\":\"Rome\",\"nights\":3,"
                + "\"kind\":\"PLANE\",\"stops\":[]}").value;
        assertEquals(Optional.empty(), hotelLeftOut.hotel(), "an Optional component may be left out");
    }

    @Test
    void problemsNameWhereAndWhat() {
        TypedSchema s = TypedSchema.of(Trip.class);
        assertEquals("$.nights: missing; $.kind: \"BUS\" is not one of TRAIN, PLANE; $.stops[0].price: expected a number, "
                        + "got \"cheap\"; $: unexpected field \"note\" (the fields are destination, nights, hotel, kind, stops)",
                TypedAnswers.parse(s, "{\"destination\":\"Rome\",\"kind\":\"BUS\",\"stops\":[{\"city\":\"Milan\","
                        + "\"price\":\"cheap\"}],\"note\":1}").problem);
        assertEquals("$.destination: expected a string, got null",
                TypedAnswers.parse(s, "{\"destination\":null,\"nights\":1,\"kind\":\"TRAIN\",\"stops\":[]}").problem);
        assertEquals("$.nights: expected an integer, got 1.5",
                TypedAnswers.parse(s, "{\"destination\":\"x\",\"nights\":1.5,\"kind\":\"TRAIN\",\"stops\":[]}").problem);
        assertEquals("the answer holds no JSON object", TypedAnswers.parse(s, "Hello, I am a model.").problem);
        assertEquals("its JSON object is not complete (no closing '}')", TypedAnswers.parse(s, "{\"destination\": \"Ro").problem);
        assertTrue(TypedAnswers.parse(s, "{\"destination\": }").problem.startsWith("it is not valid JSON"));
        String overflow = TypedAnswers.parse(s, "{\"destination\":\"x\",\"nights\":99999999999,\"kind\":\"TRAIN\","
                + "\"stops\":[]}").problem;
        assertTrue(overflow.startsWith("it does not fit Trip"), overflow);
    }

    @Test
    void theFallbackJoinsTheSchemaToTheFirstSystemMessage() {
        TypedSchema s = TypedSchema.of(Stop.class);
        ChatRequest plain = TypedAnswers.withInstructions(ChatRequest.of("Where?"), s);
        assertEquals(Role.SYSTEM, plain.messages().get(0).role());
        assertTrue(plain.messages().get(0).content().endsWith(s.schema().toString()), plain.messages().get(0).content());
        ChatRequest withSystem = TypedAnswers.withInstructions(ChatRequest.builder().system("Be terse.").user("Where?")
                .responseFormat(ResponseFormat.jsonObject()).build(), s);
        assertEquals(2, withSystem.messages().size());
        assertTrue(withSystem.messages().get(0).content().startsWith("Be terse.\n\nAnswer with one JSON object only"));
        assertEquals(ResponseFormat.text(), withSystem.responseFormat());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
