package dev.helios4j;

import java.util.Objects;

/**
 * The shape an answer must take: free text, any JSON object, or JSON matching a schema.
 * Create one with {@link #text()}, {@link #jsonObject()} or {@link #jsonSchema(String, String)}.
 *
 * @param type which of the three shapes
 * @param name the schema's name, for {@link Type#JSON_SCHEMA}; empty otherwise
 * @param schema the JSON Schema text, for {@link Type#JSON_SCHEMA}; empty otherwise
 * @param strict whether a server that knows OpenAI's {@code strict} flag must follow the schema
 *     exactly (then every object lists all its properties as required and allows no others, as
 *     typed answers' schemas do); false otherwise
 */
public record ResponseFormat(Type type, String name, String schema, boolean strict) {
    /** The three shapes an answer can be asked to take. */
    public enum Type {
        /** Free text, the default. */
        TEXT,
        /** Any valid JSON object. */
        JSON_OBJECT,
        /** JSON that matches {@link ResponseFormat#schema()}. */
        JSON_SCHEMA
    }

    private static final ResponseFormat TEXT = new ResponseFormat(Type.TEXT, "", "", false);
    private static final ResponseFormat JSON_OBJECT = new ResponseFormat(Type.JSON_OBJECT, "", "", false);

    /** Checks the components; see the class description for the contract. */
    public ResponseFormat {
        Objects.requireNonNull(type, "type");
        name = name == null ? "" : name;
        schema = schema == null ? "" : schema;
        if (type == Type.JSON_SCHEMA && schema.isBlank()) {
            throw new InvalidRequestException("A JSON-schema response format needs a schema text.");
        }
        strict = strict && type == Type.JSON_SCHEMA;
    }

    /**
     * A format that is not strict; see the class description.
     *
     * @param type which of the three shapes
     * @param name the schema's name, or empty
     * @param schema the JSON Schema text, or empty
     */
    public ResponseFormat(Type type, String name, String schema) {
        this(type, name, schema, false);
    }

    /** @return free text, the default */
    public static ResponseFormat text() {
        return TEXT;
    }

    /** @return any valid JSON object */
    public static ResponseFormat jsonObject() {
        return JSON_OBJECT;
    }

    /**
     * @param name a short name for the schema, as OpenAI requires; letters, digits, '_' or '-'
     * @param schemaJson the JSON Schema as text
     * @return JSON that matches the schema
     */
    public static ResponseFormat jsonSchema(String name, String schemaJson) {
        return new ResponseFormat(Type.JSON_SCHEMA, name, schemaJson, false);
    }

    /**
     * @param name a short name for the schema, as OpenAI requires; letters, digits, '_' or '-'
     * @param schemaJson the JSON Schema as text
     * @param strict ask servers that know OpenAI's {@code strict} flag to follow the schema exactly
     * @return JSON that matches the schema
     */
    public static ResponseFormat jsonSchema(String name, String schemaJson, boolean strict) {
        return new ResponseFormat(Type.JSON_SCHEMA, name, schemaJson, strict);
    }
}
