package dev.helios4j;

/**
 * The provider of a client cannot do what was asked, such as embedding texts with a provider that
 * only chats. The message names the providers on the classpath that can.
 */
public class UnsupportedCapabilityException extends LlmException {
    private static final long serialVersionUID = 1L;

    private final Capability capability;

    /**
     * @param capability what was asked for; never null
     * @param message what cannot be done and which providers can; must not be null
     */
    public UnsupportedCapabilityException(Capability capability, String message) {
        super(message);
        this.capability = java.util.Objects.requireNonNull(capability, "capability");
    }

    /** @return what was asked for */
    public Capability capability() {
        return capability;
    }
}
