package dev.helios4j.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.helios4j.AuthenticationException;
import dev.helios4j.ContextLengthExceededException;
import dev.helios4j.HttpException;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.RateLimitException;
import dev.helios4j.ServerException;
import dev.helios4j.internal.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * HTTP status to exception, in one place (as LangChain4j's {@code ExceptionMapper}). Messages hold
 * the status, an excerpt of the body and what to do; the key and header values are scrubbed from
 * them. Runs only on failures, so it may use regular expressions.
 */
final class HttpErrors {
    static final int EXCERPT_CHARS = 500;
    private static final Pattern TAGS = Pattern.compile("(?s)<(script|style)[^>]*>.*?</\\1>|<[^>]*>");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final JsonFactory JSON = new JsonFactory();

    private HttpErrors() {
    }

    /**
     * @param status the HTTP status, or the numeric {@code code} of an error sent inside a stream
     * @param body the response body (or the error event's data); may be empty
     * @param retryAfter the server's wait hint for 429, or null
     * @param partial the text streamed before the failure
     */
    static LlmException toException(OpenAiConfig config, String model, int status, byte[] body, Duration retryAfter,
                                    String partial) {
        String excerpt = config.redact(excerpt(body));
        String where = "The server at " + config.displayUrl();
        String said = excerpt.isEmpty() ? "" : ": " + excerpt;
        int[] overflow = status == 400 ? contextOverflow(body) : null;
        if (overflow != null) {
            return new ContextLengthExceededException(overflow[0], overflow[1], "Shorten the prompt, give the server a "
                    + "larger context (llamacpp.context-size for a local model), or let a Conversation drop its oldest "
                    + "turns with dropOldestWhenFull(true).");
        }
        if (status == 400 || status == 422) {
            return new InvalidRequestException(sentence(where + " rejected the request (HTTP " + status + ")" + said)
                    + " Check the request's settings against what this server supports.");
        }
        if (status == 401 || status == 403) {
            return new AuthenticationException(sentence(where + " refused the credentials (HTTP " + status + ")" + said)
                    + " " + (config.apiKey() == null ? "No API key is configured: set OPENAI_API_KEY or openai.api-key."
                    : "Check the API key in OPENAI_API_KEY or openai.api-key, and its access to this model."),
                    status, excerpt);
        }
        if (status == 404) {
            return new ModelNotFoundException(sentence(where + " answered HTTP 404 for the model '" + model + "'" + said)
                    + " List the models it serves with client.models(); if that fails too, check the base URL "
                    + "(requests go to " + config.url().displayEndpoint("/chat/completions")
                    + "; many servers need '/v1' at the end).");
        }
        if (status == 408) {
            return new LlmTimeoutException(sentence(where + " timed out the request (HTTP 408)" + said) + " Try again later.",
                    null, partial);
        }
        if (status == 429) {
            return new RateLimitException(sentence(where + " is rate limiting this client (HTTP 429)" + said)
                    + (retryAfter == null ? "" : " It asked to wait " + Format.duration(retryAfter) + ".")
                    + " Wait and retry, or raise openai.retries.", excerpt, retryAfter);
        }
        if (status >= 500 && status <= 599) {
            return new ServerException(sentence(where + " failed (HTTP " + status + ")" + said), status, excerpt, partial);
        }
        return new HttpException(sentence(where + " answered HTTP " + status + said), status, excerpt, partial);
    }

    /** The server could not be reached at all: where, why, and what to check. */
    static LlmException unreachable(OpenAiConfig config, Throwable cause) {
        return new LlmException("Could not reach " + config.displayUrl() + ": " + config.redact(String.valueOf(cause))
                + ". Is the server running, and is openai.base-url (or OPENAI_BASE_URL) right?" + noKeyHint(config), cause);
    }

    /**
     * A hint for failures before any server answered: with nothing configured, a missing key often
     * goes with a missing base URL. Only a hint: local servers need no key.
     */
    static String noKeyHint(OpenAiConfig config) {
        return config.apiKey() != null ? "" : " Note that no API key is set (OPENAI_API_KEY or openai.api-key); hosted "
                + "servers need one, local ones usually do not.";
    }

    /** Ends a text with one full stop: a server's own message usually has one already. */
    static String sentence(String text) {
        return text.endsWith(".") || text.endsWith("!") || text.endsWith("?") ? text : text + ".";
    }

    /** The error's own message when the body is OpenAI's {@code {"error": {...}}}; else readable text. */
    static String excerpt(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String message = errorMessage(body);
        String text = message != null ? message : new String(body, StandardCharsets.UTF_8);
        if (message == null && text.stripLeading().startsWith("<")) {
            text = TAGS.matcher(text).replaceAll(" ");
        }
        text = SPACES.matcher(text).replaceAll(" ").strip();
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "...";
    }

    /** {@code error.message}, or a string {@code error}, or top-level {@code message}; null if none. */
    static String errorMessage(byte[] body) {
        String[] inError = {null};
        String[] atTop = {null};
        boolean whole = walk(body, 0, body.length, (name, token, p) -> {
            if (name.equals("message") && token == JsonToken.VALUE_STRING) {
                inError[0] = p.getText();
            }
        }, (name, token, p) -> {
            if ((name.equals("error") || name.equals("message") || name.equals("detail"))
                    && token == JsonToken.VALUE_STRING && atTop[0] == null) {
                atTop[0] = p.getText();
            }
        });
        return !whole ? null : inError[0] != null ? inError[0] : atTop[0];
    }

    /**
     * llama-server's answer to a prompt longer than its context ({@code error.type}
     * {@code exceed_context_size_error} with {@code n_prompt_tokens} and {@code n_ctx}), as
     * {prompt tokens, context tokens}; null for any other body.
     */
    static int[] contextOverflow(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        String[] type = {null};
        int[] found = {-1, -1};
        walk(body, 0, body.length, (name, token, p) -> {
            if (name.equals("type") && token == JsonToken.VALUE_STRING) {
                type[0] = p.getText();
            } else if (name.equals("n_prompt_tokens") && token == JsonToken.VALUE_NUMBER_INT) {
                found[0] = p.getIntValue();
            } else if (name.equals("n_ctx") && token == JsonToken.VALUE_NUMBER_INT) {
                found[1] = p.getIntValue();
            }
        }, null);
        return "exceed_context_size_error".equals(type[0]) && found[0] > 0 && found[1] > 0 ? found : null;
    }

    /** The numeric status of an error sent inside a stream ({@code error.code} or {@code error.status}). */
    static int streamErrorStatus(byte[] data, int length) {
        int[] code = {-1};
        walk(data, 0, length, (name, token, p) -> {
            if ((name.equals("code") || name.equals("status")) && token == JsonToken.VALUE_NUMBER_INT && code[0] < 0) {
                code[0] = p.getIntValue();
            }
        }, null);
        return code[0] >= 400 && code[0] <= 599 ? code[0] : 500;
    }

    /** Hears one field of an error body; the walker skips whatever value the field leaves unread. */
    @FunctionalInterface
    interface Field {
        void read(String name, JsonToken value, JsonParser p) throws IOException;
    }

    /**
     * The one walk over an OpenAI-style error body, {@code {"error": {...}, ...}}: each field of the
     * {@code error} object goes to {@code inError}, every other top-level field to {@code atTop}
     * (may be null). Broken or cut-short JSON ends the walk quietly: an error body is shown raw
     * rather than failing a second time.
     *
     * @return whether the body was read whole as a JSON object
     */
    static boolean walk(byte[] body, int offset, int length, Field inError, Field atTop) {
        try (JsonParser p = JSON.createParser(body, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (field.equals("error") && t == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String inner = p.currentName();
                        inError.read(inner, p.nextToken(), p);
                        p.skipChildren();
                    }
                } else {
                    if (atTop != null) {
                        atTop.read(field, t, p);
                    }
                    p.skipChildren();
                }
            }
            return true;
        } catch (IOException e) {
            return false; // not JSON, or cut short: callers show the raw text instead
        }
    }
}
