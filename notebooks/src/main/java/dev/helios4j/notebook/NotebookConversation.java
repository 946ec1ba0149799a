package dev.helios4j.notebook;

import dev.helios4j.ChatMessage;
import dev.helios4j.Conversation;
import dev.helios4j.Role;
import java.util.Objects;

/**
 * A {@link Conversation} whose turns show as a transcript: each {@link #send} streams the question
 * and its answer into one live output; {@link #show()} displays the whole exchange so far. Get one
 * from {@link Notebook#conversation(dev.helios4j.LlmClient)}.
 *
 * <p>Like the other helpers, {@code send} returns nothing, so a cell shows only the transcript.
 * The history, partial answers of stopped turns included, is in {@link #conversation()}.
 */
public final class NotebookConversation {
    private final Conversation conversation;
    private final String label;

    NotebookConversation(Conversation conversation, String label) {
        this.conversation = Objects.requireNonNull(conversation, "conversation");
        this.label = label;
    }

    /**
     * Sends a user turn and streams the answer under it.
     *
     * @param userText the question; never null
     */
    public void send(String userText) {
        Objects.requireNonNull(userText, "userText");
        AnswerFormat format = new AnswerFormat(label, Notebook.footerShown(),
                turnMarkdown(Role.USER, userText) + "\n\n" + speaker(Role.ASSISTANT) + "\n\n",
                "You: " + userText + "\n" + label + ": ");
        Notebook.run(format, listener -> conversation.stream(userText, listener), label);
    }

    /** Displays the whole transcript as one output (or prints it, without a kernel). */
    public void show() {
        Notebook.show(Output.markdown(transcript(), toString()));
    }

    /** @return the transcript so far as Markdown, system message first */
    public String transcript() {
        StringBuilder s = new StringBuilder();
        for (ChatMessage m : conversation.messages()) {
            if (s.length() > 0) {
                s.append("\n\n");
            }
            s.append(turnMarkdown(m.role(), m.content()));
        }
        return s.toString();
    }

    /** @return the underlying conversation: history, window settings, sampling settings */
    public Conversation conversation() {
        return conversation;
    }

    /** @return the transcript as plain text */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (ChatMessage m : conversation.messages()) {
            s.append(plainSpeaker(m.role())).append(": ").append(m.content()).append('\n');
        }
        return s.toString();
    }

    private String turnMarkdown(Role role, String content) {
        return role == Role.USER || role == Role.SYSTEM
                ? speaker(role) + " " + content
                : speaker(role) + "\n\n" + AnswerFormat.closeFences(content);
    }

    private String speaker(Role role) {
        return "**" + Markdown.escape(plainSpeaker(role)) + ":**";
    }

    private String plainSpeaker(Role role) {
        return switch (role) {
            case USER -> "You";
            case SYSTEM -> "System";
            case ASSISTANT -> label;
            case TOOL -> "Tool";
        };
    }
}
