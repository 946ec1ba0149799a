package dev.helios4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.lang.System.Logger.Level;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * Typed answers for one client: asks for JSON that matches a type's schema, checks and parses the
 * answer, and asks once more, showing the model what was wrong, when it does not fit.
 *
 * <p>Engines that follow JSON-schema response formats get the schema as the response format (a
 * grammar on llama.cpp, {@code response_format} on OpenAI-compatible servers). Others, and servers
 * that refuse the format with HTTP 400 naming it, get the schema in the system message instead;
 * a refusal is remembered for the client's life, so it costs one request once. Thread-safe.
 */
final class TypedAnswers {
    private static final System.Logger LOG = System.getLogger(TypedAnswers.class.getName());
    private static final int PROBLEMS_SHOWN = 5;

    private final BooleanSupplier engineFollowsSchemas;
    private final BiFunction<ChatRequest, StreamListener, ChatResponse> call;
    private final AtomicBoolean schemaFormatRefused = new AtomicBoolean();

    /**
     * @param engineFollowsSchemas whether the engine constrains answers to a JSON-schema response format
     * @param call sends one request (with a listener, or null for a blocking call)
     */
    TypedAnswers(BooleanSupplier engineFollowsSchemas, BiFunction<ChatRequest, StreamListener, ChatResponse> call) {
        this.engineFollowsSchemas = engineFollowsSchemas;
        this.call = call;
    }

    <T> T answer(ChatRequest request, Type type, StreamListener listener) {
        if (request == null) {
            throw new InvalidRequestException("The request is null; build one with ChatRequest.builder().");
        }
        TypedSchema schema = TypedSchema.of(type);
        boolean asFormat = engineFollowsSchemas.getAsBoolean() && !schemaFormatRefused.get();
        ChatRequest first = asFormat ? withFormat(request, schema) : withInstructions(request, schema);
        ChatResponse response;
        try {
            response = call.apply(first, listener);
        } catch (InvalidRequestException e) {
            if (!asFormat || e instanceof ContextLengthExceededException || !namesTheFormat(e)) {
                throw e;
            }
            schemaFormatRefused.set(true);
            LOG.log(Level.INFO, "The server refused a JSON-schema response format, so typed answers on this client "
                    + "put the schema in the system message from now on. (" + e.getMessage() + ")");
            first = withInstructions(request, schema);
            response = call.apply(first, listener);
        }
        Parsed<T> parsed = parse(schema, response.text());
        if (parsed.problem == null) {
            return parsed.value;
        }
        ChatRequest again = first.toBuilder()
                .assistant(response.text())
                .user("That answer does not fit: " + parsed.problem + ". Answer again with only the corrected JSON "
                        + "object, nothing else.")
                .build();
        response = call.apply(again, listener);
        parsed = parse(schema, response.text());
        if (parsed.problem == null) {
            return parsed.value;
        }
        throw new InvalidAnswerException("The model's answer does not fit " + schema.typeName()
                + ", also when asked a second time: " + parsed.problem + "."
                + (response.finishReason() == FinishReason.LENGTH
                ? " It stopped at the token limit (finish reason length): raise maxTokens."
                : " Try a clearer prompt, @Description on the components, or a larger model.")
                + " The raw answer is in rawText().", parsed.cause, response.text());
    }

    private static ChatRequest withFormat(ChatRequest request, TypedSchema schema) {
        return request.toBuilder()
                .responseFormat(ResponseFormat.jsonSchema(schema.name(), schema.schema().toString(), true))
                .build();
    }

    /** The schema goes into the system message (joined to the first one, which some templates require). */
    static ChatRequest withInstructions(ChatRequest request, TypedSchema schema) {
        String instructions = "Answer with one JSON object only, no prose and no code fence, that matches this "
                + "JSON Schema:\n" + schema.schema().toString();
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        if (messages.get(0).role() == Role.SYSTEM) {
            messages.set(0, ChatMessage.system(messages.get(0).content() + "\n\n" + instructions));
        } else {
            messages.add(0, ChatMessage.system(instructions));
        }
        return request.toBuilder().responseFormat(ResponseFormat.text()).build().withMessages(messages);
    }

    /** A 400 that names the response format: the server does not know json_schema. */
    private static boolean namesTheFormat(InvalidRequestException e) {
        String m = e.getMessage().toLowerCase(Locale.ROOT);
        return m.contains("response_format") || m.contains("json_schema") || m.contains("response format");
    }

    /**
     * Finds the JSON object in an answer (small models wrap it in prose or a code fence), checks it
     * against the schema and binds it to the type.
     */
    static <T> Parsed<T> parse(TypedSchema schema, String raw) {
        int open = raw.indexOf('{');
        int close = raw.lastIndexOf('}');
        if (open < 0) {
            return Parsed.failed("the answer holds no JSON object", null);
        }
        if (close < open) {
            return Parsed.failed("its JSON object is not complete (no closing '}')", null);
        }
        JsonNode tree;
        try {
            tree = Mapper.JSON.readTree(raw.substring(open, close + 1));
        } catch (JsonProcessingException e) {
            return Parsed.failed("it is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        List<String> problems = schema.problems(tree, PROBLEMS_SHOWN);
        if (!problems.isEmpty()) {
            return Parsed.failed(String.join("; ", problems), null);
        }
        JsonNode value = schema.wrapped() ? tree.get(TypedSchema.WRAPPER) : tree;
        try {
            T bound = Mapper.JSON.readerFor(Mapper.JSON.getTypeFactory().constructType(schema.type())).readValue(value);
            return new Parsed<>(bound, null, null);
        } catch (java.io.IOException | IllegalArgumentException e) {
            String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            return Parsed.failed("it does not fit " + schema.typeName() + " (" + why + ")", e);
        }
    }

    /**
     * The mapper, in a holder so that Jackson is loaded on the first typed answer, not when a
     * client opens: plain chat needs no Jackson on the class path. Configured once and never
     * changed, so safe to share between threads.
     */
    private static final class Mapper {
        static final ObjectMapper JSON = JsonMapper.builder()
                .addModule(new Jdk8Module())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // checked against the schema first
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /** A parsed value, or why there is none. */
    static final class Parsed<T> {
        final T value;
        final String problem;
        final Exception cause;

        private Parsed(T value, String problem, Exception cause) {
            this.value = value;
            this.problem = problem;
            this.cause = cause;
        }

        static <T> Parsed<T> failed(String problem, Exception cause) {
            return new Parsed<>(null, problem, cause);
        }
    }
}
