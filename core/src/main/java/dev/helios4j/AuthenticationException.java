package dev.helios4j;

/**
 * The server refused the credentials (HTTP 401 or 403). The message says which setting supplies
 * the key; it never contains the key.
 */
public class AuthenticationException extends HttpException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed and which setting to check; must not be null
     * @param statusCode 401 or 403
     * @param bodyExcerpt the start of the response body, or null
     */
    public AuthenticationException(String message, int statusCode, String bodyExcerpt) {
        super(message, statusCode, bodyExcerpt, null);
    }
}
