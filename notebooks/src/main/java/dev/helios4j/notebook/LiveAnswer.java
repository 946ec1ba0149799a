package dev.helios4j.notebook;

import dev.helios4j.ChatResponse;
import java.util.UUID;

/**
 * An answer in one notebook output: displayed once, then updated in place by display id, at most
 * as often as the throttle allows, and a last time with the exact final text.
 */
final class LiveAnswer implements AnswerView {
    private final Frontend frontend;
    private final Throttle throttle;
    private final AnswerFormat format;
    private final String displayId = "helios4j-" + UUID.randomUUID();
    private final StringBuilder text = new StringBuilder();
    private boolean dirty;

    LiveAnswer(Frontend frontend, Throttle throttle, AnswerFormat format) {
        this.frontend = frontend;
        this.throttle = throttle;
        this.format = format;
    }

    @Override
    public void start() {
        KernelCalls.run(() -> frontend.display(displayId, format.pending()));
        throttle.restart();
    }

    @Override
    public void onToken(String piece) {
        text.append(piece);
        dirty = true;
        if (throttle.tryPass()) {
            dirty = false;
            KernelCalls.run(() -> frontend.update(displayId, format.streaming(text)));
        }
    }

    @Override
    public void complete(ChatResponse response) {
        KernelCalls.run(() -> frontend.update(displayId, format.done(response)));
    }

    @Override
    public void stopped(String partial) {
        KernelCalls.run(() -> frontend.update(displayId, format.stopped(partial)));
    }

    @Override
    public void failed(String partial, Throwable failure) {
        KernelCalls.run(() -> frontend.update(displayId, format.failed(partial, failure)));
    }

    /** @return whether pieces arrived that no update has shown yet (the final update shows them) */
    boolean hasUnshownText() {
        return dirty;
    }

    String displayId() {
        return displayId;
    }
}
