package dev.helios4j;

/**
 * A request, spec or setting that cannot be sent as it is: an empty message list, a temperature
 * outside [0, 2], a malformed model spec, or a request a server rejected with HTTP 400. The
 * message names the offending value and the accepted range or form.
 */
public class InvalidRequestException extends LlmException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong and how to fix it; must not be null
     */
    public InvalidRequestException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and how to fix it; must not be null
     * @param cause the underlying failure, or null
     */
    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
