package io.github.spencerpark.jupyter.channels;

import io.github.spencerpark.jupyter.messages.Message;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The reply environment IJava's base kernel attaches to a running cell, recording what it
 * publishes on IOPub and replies on the shell channel, in order. Deferral works as in the library
 * (the reply, the detach of the cell's streams and the idle status wait for
 * {@link #resolveDeferrals()}). Lives in the library's package for its protected constructor.
 */
public final class RecordingShellEnvironment extends ShellReplyEnvironment {
    /** The content of every IOPub message, in order. */
    public final List<Object> published = new CopyOnWriteArrayList<>();
    /** IOPub contents and shell replies together, in the order they were sent. */
    public final List<Object> sent = new CopyOnWriteArrayList<>();
    private boolean deferNext;

    public RecordingShellEnvironment() {
        super(null, null, null, null);
    }

    @Override
    public ShellReplyEnvironment defer() {
        deferNext = true;
        return this;
    }

    @Override
    public void publish(Message<?> msg) {
        send(() -> {
            published.add(msg.getContent());
            sent.add(msg.getContent());
        });
    }

    @Override
    public void reply(Message<?> msg) {
        send(() -> sent.add(msg.getContent()));
    }

    private void send(Runnable action) {
        if (deferNext) {
            deferNext = false;
            defer(action);
        } else {
            action.run();
        }
    }
}
