package dev.helios4j;

/**
 * A server answered with an HTTP error status. The message holds the status and an excerpt of the
 * body, never the API key. Subtypes single out authentication, rate limits and server faults.
 */
public class HttpException extends LlmException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String bodyExcerpt;

    /**
     * @param message what failed and what to do; must not be null
     * @param statusCode the HTTP status
     * @param bodyExcerpt the start of the response body, or null
     * @param partialText the answer streamed before the failure, or null
     */
    public HttpException(String message, int statusCode, String bodyExcerpt, String partialText) {
        super(message, null, partialText);
        this.statusCode = statusCode;
        this.bodyExcerpt = bodyExcerpt == null ? "" : bodyExcerpt;
    }

    /** @return the HTTP status code */
    public int statusCode() {
        return statusCode;
    }

    /** @return the start of the response body; empty when there was none */
    public String bodyExcerpt() {
        return bodyExcerpt;
    }
}
