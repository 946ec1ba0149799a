package dev.helios4j.local.internal;

import java.util.List;

/**
 * Finds stop sequences in a growing answer, in Java rather than in llama.cpp, so the finish reason
 * is known exactly and streamed pieces never include a stop sequence or its start: text that
 * might begin one is held back until it is clear.
 */
final class StopMatcher {
    private final List<String> stops;
    private final StringBuilder text = new StringBuilder();
    private int released;
    private boolean stopped;

    StopMatcher(List<String> stops) {
        this.stops = stops;
    }

    /**
     * Adds generated text.
     *
     * @return the text that can be shown now, possibly empty
     */
    String add(String piece) {
        text.append(piece);
        if (stops.isEmpty()) {
            String out = text.substring(released);
            released = text.length();
            return out;
        }
        int stopAt = firstStop();
        if (stopAt >= 0) {
            stopped = true;
            text.setLength(stopAt);
            String out = stopAt > released ? text.substring(released) : "";
            released = text.length();
            return out;
        }
        int safe = text.length() - heldBack();
        String out = safe > released ? text.substring(released, safe) : "";
        released = Math.max(released, safe);
        return out;
    }

    /** @return the text held back at the end, released because generation ended without a stop */
    String flush() {
        String out = text.substring(released);
        released = text.length();
        return out;
    }

    boolean stopped() {
        return stopped;
    }

    /** @return the answer so far without any stop sequence */
    String text() {
        return text.toString();
    }

    /** @return the text already released to the listener */
    String released() {
        return text.substring(0, released);
    }

    private int firstStop() {
        int first = -1;
        // A new stop can only end in the newest text, but may begin in held-back text.
        for (String s : stops) {
            int from = Math.max(0, released - s.length());
            int at = text.indexOf(s, from);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    private boolean endsWithPrefix(String stop, int n, int length) {
        for (int i = 0; i < n; i++) {
            if (text.charAt(length - n + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int heldBack() {
        int held = 0;
        int length = text.length();
        for (String s : stops) {
            for (int n = Math.min(s.length() - 1, length); n > held; n--) {
                if (endsWithPrefix(s, n, length)) {
                    held = n;
                    break;
                }
            }
        }
        return held;
    }
}
