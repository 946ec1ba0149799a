package dev.helios4j.notebook;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A front end that keeps every display and update, in order. */
final class RecordingFrontend implements Frontend {
    record Call(boolean display, String id, Output output) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public void display(String displayId, Output output) {
        calls.add(new Call(true, displayId, output));
    }

    @Override
    public void update(String displayId, Output output) {
        calls.add(new Call(false, displayId, output));
    }

    long updates() {
        return calls.stream().filter(c -> !c.display()).count();
    }

    Call last() {
        return calls.get(calls.size() - 1);
    }
}
