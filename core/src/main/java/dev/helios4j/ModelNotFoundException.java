package dev.helios4j;

import java.util.Optional;

/**
 * The provider exists but the model does not: a missing file, a model the Hugging Face cache
 * lacks while offline, or a name a server answered with HTTP 404. When a command would fetch the
 * model, {@link #fetchCommand()} gives it exactly.
 */
public class ModelNotFoundException extends LlmException {
    private static final long serialVersionUID = 1L;

    private final String fetchCommand;

    /**
     * @param message which model is missing and where it was looked for; must not be null
     */
    public ModelNotFoundException(String message) {
        this(message, null, null);
    }

    /**
     * @param message which model is missing and where it was looked for; must not be null
     * @param fetchCommand the shell command that would fetch the model, or null if none would
     * @param cause the underlying failure, or null
     */
    public ModelNotFoundException(String message, String fetchCommand, Throwable cause) {
        super(fetchCommand == null ? message : message + " To fetch it, run: " + fetchCommand, cause);
        this.fetchCommand = fetchCommand;
    }

    /** @return the shell command that would fetch the model, when one would */
    public Optional<String> fetchCommand() {
        return Optional.ofNullable(fetchCommand);
    }
}
