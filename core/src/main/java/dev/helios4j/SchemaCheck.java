package dev.helios4j;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Checks a JSON value against the subset of JSON Schema that {@link TypedSchema} writes (types,
 * properties, required, no other properties, enum, items, "this or null"), so that the retry can
 * tell the model where its answer went wrong, in "where: what" phrases.
 */
final class SchemaCheck {
    private SchemaCheck() {
    }

    /** @return at most {@code limit} problems, each "where: what"; empty when the value fits */
    static List<String> problems(JsonNode schema, JsonNode value, int limit) {
        List<String> out = new ArrayList<>();
        check(schema, value, "$", out, limit);
        return out;
    }

    private static void check(JsonNode s, JsonNode v, String at, List<String> out, int limit) {
        if (out.size() >= limit) {
            return;
        }
        if (s.has("anyOf")) {
            if (v.isNull()) {
                return; // the only anyOf we write is "this or null"
            }
            check(s.get("anyOf").get(0), v, at, out, limit);
            return;
        }
        String type = s.path("type").asText();
        switch (type) {
            case "object" -> {
                if (!v.isObject()) {
                    out.add(at + ": expected an object, got " + kind(v));
                    return;
                }
                JsonNode props = s.path("properties");
                props.fields().forEachRemaining(p -> {
                    JsonNode field = v.get(p.getKey());
                    if (field == null) {
                        if (!p.getValue().has("anyOf") && out.size() < limit) {
                            out.add(at + "." + p.getKey() + ": missing");
                        }
                    } else {
                        check(p.getValue(), field, at + "." + p.getKey(), out, limit);
                    }
                });
                v.fieldNames().forEachRemaining(name -> {
                    if (!props.has(name) && out.size() < limit) {
                        out.add(at + ": unexpected field \"" + name + "\" (the fields are "
                                + String.join(", ", iterable(props.fieldNames())) + ")");
                    }
                });
            }
            case "array" -> {
                if (!v.isArray()) {
                    out.add(at + ": expected an array, got " + kind(v));
                    return;
                }
                for (int i = 0; i < v.size(); i++) {
                    check(s.get("items"), v.get(i), at + "[" + i + "]", out, limit);
                }
            }
            case "string" -> {
                if (!v.isTextual()) {
                    out.add(at + ": expected a string, got " + kind(v));
                } else if (s.has("enum") && !contains(s.get("enum"), v.asText())) {
                    out.add(at + ": \"" + v.asText() + "\" is not one of "
                            + String.join(", ", iterable(s.get("enum").elements(), JsonNode::asText)));
                }
            }
            case "integer" -> {
                if (!v.isNumber() || !v.canConvertToExactIntegral()) {
                    out.add(at + ": expected an integer, got " + kind(v));
                }
            }
            case "number" -> {
                if (!v.isNumber()) {
                    out.add(at + ": expected a number, got " + kind(v));
                }
            }
            case "boolean" -> {
                if (!v.isBoolean()) {
                    out.add(at + ": expected true or false, got " + kind(v));
                }
            }
            default -> throw new IllegalStateException("unexpected schema type " + type);
        }
    }

    private static boolean contains(JsonNode values, String text) {
        for (JsonNode n : values) {
            if (n.asText().equals(text)) {
                return true;
            }
        }
        return false;
    }

    private static String kind(JsonNode v) {
        String shown = v.toString();
        shown = shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
        return switch (v.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case NULL -> "null";
            default -> shown;
        };
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static List<String> iterable(Iterator<JsonNode> it, Function<JsonNode, String> f) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(n -> out.add(f.apply(n)));
        return out;
    }
}
