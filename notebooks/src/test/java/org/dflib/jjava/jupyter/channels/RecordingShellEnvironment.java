package org.dflib.jjava.jupyter.channels;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dflib.jjava.jupyter.messages.Message;

/**
 * The reply environment JJava attaches to a cell while it runs, recording what the kernel
 * publishes on IOPub and replies on the shell channel, in order, instead of sending it on sockets.
 * Deferral works as in the library (the kernel defers its reply, the detach of the cell's streams
 * and the idle status to {@link #resolveDeferrals()}, which the shell channel runs after the
 * handler). Lives in JJava's package for its protected constructor.
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
