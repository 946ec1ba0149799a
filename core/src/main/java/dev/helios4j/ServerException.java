package dev.helios4j;

/**
 * The server failed (HTTP 5xx), or broke off a stream it had begun (then the status is the one the
 * stream was sent with, usually 200). Keeps any text streamed before it.
 */
public class ServerException extends HttpException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and what to do; must not be null
     * @param statusCode the HTTP status: 500 to 599, or that of a stream broken off
     * @param bodyExcerpt the start of the response body, or null
     * @param partialText the answer streamed before the failure, or null
     */
    public ServerException(String message, int statusCode, String bodyExcerpt, String partialText) {
        super(message, statusCode, bodyExcerpt, partialText);
    }
}
