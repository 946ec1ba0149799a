package org.dflib.jjava.jupyter.channels;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.dflib.jjava.jupyter.messages.ContentType;

/**
 * The reply environment JJava attaches to a cell while it runs, recording what the kernel
 * publishes on IOPub instead of sending it on a socket. Lives in JJava's package for its
 * protected constructor.
 */
public final class RecordingShellEnvironment extends ShellReplyEnvironment {
    public final List<Object> published = new CopyOnWriteArrayList<>();

    public RecordingShellEnvironment() {
        super(null, null, null, null);
    }

    @Override
    public <T extends ContentType<T>> void publish(T content) {
        published.add(content);
    }
}
