package dev.helios4j.notebook;

import dev.helios4j.AuthenticationException;
import dev.helios4j.ContextLengthExceededException;
import dev.helios4j.GenerationCancelledException;
import dev.helios4j.HttpException;
import dev.helios4j.InvalidModelException;
import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.ProviderNotFoundException;
import dev.helios4j.RateLimitException;
import dev.helios4j.Secret;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A failure as a notebook shows it: a title that says what failed and the exception's message,
 * which in helios4j says what to do. No stack trace: {@link Notebook#lastError()} keeps the
 * exception for whoever wants one. Anything that looks like a key is masked, even though helios4j's
 * own messages never hold one: a provider written by someone else might. So are the credentials of
 * any URL in the text (user-info password, query values), as {@link Secret#redactUrl} masks them,
 * with the library's one mask.
 */
record ErrorReport(String title, String detail) {
    private static final int MAX_DETAIL = 1_000;
    private static final String MASK = Secret.MASK;
    /** A URL that may carry credentials: user info ({@code @}) or a query. Plain URLs are left as they are. */
    private static final Pattern URL_WITH_CREDENTIALS = Pattern.compile(
            "[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'<>`]*[@?][^\\s\"'<>`]*");
    private static final Pattern KEY_LIKE = Pattern.compile(
            // hf_ is matched case-sensitively: the Hub's tokens are lower-case hf_, and HF_ENDPOINT is a setting
            "(?i)(sk-[A-Za-z0-9_\\-]{8,}|(?-i:hf_[A-Za-z0-9]{20,})|(?<=bearer\\s)\\S+"
                    + "|(?<=(api[_-]?key|token|secret|password)[\"']?\\s?[=:]\\s?[\"']?)[^\\s\"',;]{4,})");

    static ErrorReport of(Throwable failure) {
        String message = failure.getMessage() == null ? "" : failure.getMessage();
        String detail = failure instanceof LlmException ? message
                : failure.getClass().getName() + (message.isEmpty() ? "" : ": " + message)
                + "\nThis is not a helios4j error the library knows about; Notebook.lastError() has the stack trace.";
        return new ErrorReport(title(failure), shorten(redact(detail, System.getenv())));
    }

    private static String title(Throwable f) {
        if (f instanceof ProviderNotFoundException) {
            return "No provider for this model";
        } else if (f instanceof ModelNotFoundException) {
            return "Model not found";
        } else if (f instanceof AuthenticationException) {
            return "The server refused the credentials";
        } else if (f instanceof RateLimitException) {
            return "The server is rate limiting this client";
        } else if (f instanceof HttpException h) {
            return "The server answered HTTP " + h.statusCode();
        } else if (f instanceof LlmTimeoutException) {
            return "Timed out";
        } else if (f instanceof ContextLengthExceededException) {
            return "The prompt is too long for this model";
        } else if (f instanceof InvalidRequestException) {
            return "Invalid request";
        } else if (f instanceof InvalidModelException) {
            return "Invalid model file";
        } else if (f instanceof GenerationCancelledException) {
            return "Stopped";
        } else if (f instanceof LlmException) {
            return "The model call failed";
        }
        return "Unexpected error";
    }

    /**
     * Masks key-shaped words and the values of environment variables whose names say they hold a
     * secret, wherever they appear in the text.
     */
    static String redact(String text, Map<String, String> env) {
        String out = text;
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey().toUpperCase(java.util.Locale.ROOT);
            String value = e.getValue();
            if (value != null && value.length() >= 6
                    && (name.contains("KEY") || name.contains("TOKEN") || name.contains("SECRET") || name.contains("PASSWORD"))) {
                out = out.replace(value, MASK);
            }
        }
        out = URL_WITH_CREDENTIALS.matcher(out).replaceAll(m -> Matcher.quoteReplacement(Secret.redactUrl(m.group())));
        return KEY_LIKE.matcher(out).replaceAll(MASK);
    }

    private static String shorten(String text) {
        String t = text.strip();
        return t.length() <= MAX_DETAIL ? t : t.substring(0, MAX_DETAIL) + " …";
    }

    String markdown() {
        return Markdown.quote("**⚠ " + Markdown.escape(title) + "**  \n" + Markdown.escape(detail).replace("\n", "  \n"));
    }

    String plain() {
        return "⚠ " + title + "\n" + detail;
    }
}
