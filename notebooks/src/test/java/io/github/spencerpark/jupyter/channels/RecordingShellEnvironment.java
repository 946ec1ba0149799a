package io.github.spencerpark.jupyter.channels;

import io.github.spencerpark.jupyter.messages.ContentType;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The reply environment IJava's base kernel attaches to a running cell, recording what it
 * publishes on IOPub. Lives in the library's package for its protected constructor.
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
