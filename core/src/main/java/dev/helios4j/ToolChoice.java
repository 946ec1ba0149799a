package dev.helios4j;

import java.util.Objects;

/**
 * Whether and which tool the model must call: {@link #AUTO}, {@link #NONE}, {@link #REQUIRED}, or
 * one tool by name with {@link #tool(String)}. A type rather than a string so that a tool whose
 * name is a mode's word (a tool called {@code auto}) can still be forced. Immutable and
 * thread-safe.
 */
public final class ToolChoice {

    /** What the choice asks of the model. */
    public enum Mode {
        /** The model decides whether to call a tool (the servers' default when tools are given). */
        AUTO,
        /** The model must answer with text and call no tool. */
        NONE,
        /** The model must call at least one tool, of its choosing. */
        REQUIRED,
        /** The model must call the tool named by {@link ToolChoice#toolName()}. */
        TOOL
    }

    /** The model decides whether to call a tool. */
    public static final ToolChoice AUTO = new ToolChoice(Mode.AUTO, null);
    /** The model calls no tool. */
    public static final ToolChoice NONE = new ToolChoice(Mode.NONE, null);
    /** The model calls at least one tool. */
    public static final ToolChoice REQUIRED = new ToolChoice(Mode.REQUIRED, null);

    private final Mode mode;
    private final String toolName;

    private ToolChoice(Mode mode, String toolName) {
        this.mode = mode;
        this.toolName = toolName;
    }

    /**
     * Forces one tool, whatever its name (also {@code auto}, {@code none} or {@code required}).
     *
     * @param name the name of one of the request's tools; never null or blank
     * @return a choice that makes the model call that tool
     * @throws InvalidRequestException when the name is null or blank
     */
    public static ToolChoice tool(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("ToolChoice.tool needs the name of one of the request's tools; "
                    + "for no particular tool use ToolChoice.AUTO, NONE or REQUIRED.");
        }
        return new ToolChoice(Mode.TOOL, name);
    }

    /** @return what the choice asks of the model; never null */
    public Mode mode() {
        return mode;
    }

    /** @return the forced tool's name when {@link #mode()} is {@link Mode#TOOL}; otherwise null */
    public String toolName() {
        return toolName;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ToolChoice c && c.mode == mode && Objects.equals(c.toolName, toolName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, toolName);
    }

    /** @return {@code auto}, {@code none}, {@code required}, or {@code tool(NAME)} */
    @Override
    public String toString() {
        return mode == Mode.TOOL ? "tool(" + toolName + ")" : mode.name().toLowerCase(java.util.Locale.ROOT);
    }
}
