package dev.helios4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The JSON Schema of a Java type, for typed answers: records become objects (components in
 * declaration order, all required, no others allowed), enums strings with their constant names,
 * lists, sets and arrays arrays, {@code Optional} components "this or null", and
 * {@link Description} texts descriptions.
 *
 * <p>The schema follows the rules of OpenAI's strict structured outputs, which llama.cpp's
 * schema-to-grammar converter also understands. Because those want an object at the root, a type
 * that is not a record (a list, an enum, a string) is wrapped as {@code {"value": ...}}, and
 * unwrapped again when parsing. Immutable.
 */
final class TypedSchema {
    /** The one property of the object that wraps a root that is not a record. */
    static final String WRAPPER = "value";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Type type;
    private final ObjectNode schema;
    private final boolean wrapped;

    private TypedSchema(Type type, ObjectNode schema, boolean wrapped) {
        this.type = type;
        this.schema = schema;
        this.wrapped = wrapped;
    }

    /**
     * @param type a record, enum, list, array, string, number or boolean type
     * @throws InvalidRequestException for a type no JSON answer can fill, naming it and what to use
     */
    static TypedSchema of(Type type) {
        if (type == null) {
            throw new InvalidRequestException("The answer's type is null; pass a record class, such as Person.class.");
        }
        Deriver d = new Deriver(type);
        ObjectNode root = d.node(type, "the answer");
        if (type instanceof Class<?> c && c.isRecord()) {
            return new TypedSchema(type, root, false);
        }
        ObjectNode wrapper = NODES.objectNode();
        wrapper.put("type", "object");
        wrapper.putObject("properties").set(WRAPPER, root);
        wrapper.putArray("required").add(WRAPPER);
        wrapper.put("additionalProperties", false);
        return new TypedSchema(type, wrapper, true);
    }

    /** @return the Java type this schema describes */
    Type type() {
        return type;
    }

    /** @return the schema; callers must not change it */
    ObjectNode schema() {
        return schema;
    }

    /** @return whether the type's value sits under {@value #WRAPPER} */
    boolean wrapped() {
        return wrapped;
    }

    /** @return a name OpenAI accepts for the schema: letters, digits, '_' and '-', at most 64 */
    String name() {
        String simple = rawClass(type).getSimpleName().replace("[]", "_list").replaceAll("[^A-Za-z0-9_-]", "_");
        simple = simple.isEmpty() ? "answer" : simple;
        return simple.length() > 64 ? simple.substring(0, 64) : simple;
    }

    /** @return the type as a reader would name it, such as {@code List<Person>} */
    String typeName() {
        return simpleName(type);
    }

    private static String simpleName(Type t) {
        if (t instanceof ParameterizedType p) {
            StringBuilder s = new StringBuilder(simpleName(p.getRawType())).append('<');
            for (Type arg : p.getActualTypeArguments()) {
                s.append(s.charAt(s.length() - 1) == '<' ? "" : ", ").append(simpleName(arg));
            }
            return s.append('>').toString();
        }
        return t instanceof Class<?> c ? c.getSimpleName() : t.getTypeName();
    }

    /**
     * What in {@code value} does not match this schema, each problem as "where: what", at most
     * {@code limit} of them.
     *
     * @return the problems; empty when the value fits
     */
    List<String> problems(JsonNode value, int limit) {
        return SchemaCheck.problems(schema, value, limit);
    }

    static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return rawClass(p.getRawType());
        }
        if (t instanceof GenericArrayType g) {
            return java.lang.reflect.Array.newInstance(rawClass(g.getGenericComponentType()), 0).getClass();
        }
        return Object.class;
    }

    /** Walks a type, refusing what JSON cannot carry with a message that says what to use instead. */
    private static final class Deriver {
        private final Type root;
        private final Deque<Class<?>> records = new ArrayDeque<>();

        Deriver(Type root) {
            this.root = root;
        }

        ObjectNode node(Type t, String where) {
            if (t instanceof ParameterizedType p) {
                Class<?> raw = rawClass(p);
                Type arg = p.getActualTypeArguments()[0];
                if (raw == Optional.class) {
                    ObjectNode n = NODES.objectNode();
                    ArrayNode any = n.putArray("anyOf");
                    any.add(node(arg, where));
                    any.addObject().put("type", "null");
                    return n;
                }
                if (Collection.class.isAssignableFrom(raw) && (raw.isAssignableFrom(List.class) || raw.isAssignableFrom(Set.class))) {
                    return array(node(arg, where + "'s elements"));
                }
                if (Map.class.isAssignableFrom(raw)) {
                    throw refuse(where, t, "a Map has no fixed fields; use a List of records (record Entry(String key, V value))");
                }
                throw refuse(where, t, "only List, Set, Collection and Optional may have type arguments");
            }
            if (t instanceof GenericArrayType g) {
                return array(node(g.getGenericComponentType(), where + "'s elements"));
            }
            if (!(t instanceof Class<?> c)) {
                throw refuse(where, t, "use a concrete type instead of a type variable or wildcard");
            }
            ObjectNode n = NODES.objectNode();
            if (c == String.class || c == CharSequence.class || c == char.class || c == Character.class) {
                n.put("type", "string");
            } else if (c == boolean.class || c == Boolean.class) {
                n.put("type", "boolean");
            } else if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class
                    || c == Short.class || c == byte.class || c == Byte.class || c == BigInteger.class) {
                n.put("type", "integer");
            } else if (c == double.class || c == Double.class || c == float.class || c == Float.class
                    || c == BigDecimal.class) {
                n.put("type", "number");
            } else if (c.isEnum()) {
                n.put("type", "string");
                ArrayNode values = n.putArray("enum");
                for (Object constant : c.getEnumConstants()) {
                    values.add(((Enum<?>) constant).name());
                }
                describe(n, c.getAnnotation(Description.class));
            } else if (c.isArray()) {
                return array(node(c.getComponentType(), where + "'s elements"));
            } else if (c.isRecord()) {
                return record(c, where);
            } else if (c == Optional.class || Collection.class.isAssignableFrom(c)) {
                throw refuse(where, t, "say what it holds, as in List<Person> (a record component) or Person[].class");
            } else if (Map.class.isAssignableFrom(c)) {
                throw refuse(where, t, "a Map has no fixed fields; use a List of records (record Entry(String key, V value))");
            } else {
                throw refuse(where, t, "use a record, an enum, a List or array, String, a number type or boolean"
                        + " (a date, for instance, as a String)");
            }
            return n;
        }

        private ObjectNode record(Class<?> c, String where) {
            if (records.contains(c)) {
                throw refuse(where, c, "it contains itself (through " + records.stream().map(Class::getSimpleName)
                        .collect(Collectors.joining(" > ")) + "), and an answer must be a finite tree");
            }
            records.push(c);
            try {
                ObjectNode n = NODES.objectNode();
                n.put("type", "object");
                describe(n, c.getAnnotation(Description.class));
                ObjectNode props = n.putObject("properties");
                ArrayNode required = n.putArray("required");
                for (RecordComponent rc : c.getRecordComponents()) {
                    ObjectNode prop = node(rc.getGenericType(), c.getSimpleName() + "." + rc.getName());
                    describe(prop, rc.getAnnotation(Description.class));
                    props.set(rc.getName(), prop);
                    required.add(rc.getName());
                }
                n.put("additionalProperties", false);
                return n;
            } finally {
                records.pop();
            }
        }

        private static ObjectNode array(ObjectNode items) {
            ObjectNode n = NODES.objectNode();
            n.put("type", "array");
            n.set("items", items);
            return n;
        }

        private static void describe(ObjectNode n, Description d) {
            if (d != null && !d.value().isBlank()) {
                n.put("description", d.value().strip());
            }
        }

        private InvalidRequestException refuse(String where, Type t, String advice) {
            String name = simpleName(t);
            return new InvalidRequestException("A typed answer cannot be a " + rawClass(root).getSimpleName()
                    + ": " + where + " is a " + name + ", and " + advice + ".");
        }
    }
}
