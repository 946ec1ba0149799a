package dev.helios4j.remote;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Servers that never stop sending: bytes keep coming, so no timeout fires, and only the client's
 * size limits stand between it and an OutOfMemoryError. Each streams until the client hangs up (a
 * write fails), for at most a minute and {@link #BUDGET} bytes, which bounds a test on a client
 * without limits.
 */
final class EndlessServers {
    static final long BUDGET = 256L << 20;
    private static final long MAX_MILLIS = 60_000;
    private static final int WRITE = 64 * 1024;

    private EndlessServers() {
    }

    enum Kind {
        /** One event-stream line that never ends. */
        LINE,
        /** {@code data:} lines without the blank line that ends an event. */
        EVENT,
        /** A non-streamed JSON answer whose string never closes. */
        BODY
    }

    /** @param sent counts the bytes written, so a test can see where the client stopped */
    static LoopbackServer.Handler of(Kind kind, AtomicLong sent) {
        String first = FaultsTest.content("Hi");
        String prefix = switch (kind) {
            case LINE -> first + "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
            case EVENT -> first;
            case BODY -> "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                    + "\"message\":{\"role\":\"assistant\",\"content\":\"";
        };
        byte[] repeat = (kind == Kind.EVENT ? ("data: " + "x".repeat(1017) + "\n").repeat(64) : "x".repeat(WRITE))
                .getBytes(StandardCharsets.UTF_8);
        return (request, exchange) -> {
            exchange.startStream(200, kind == Kind.BODY ? "application/json" : "text/event-stream");
            exchange.send(prefix);
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_MILLIS);
            while (sent.get() < BUDGET && System.nanoTime() < until) {
                exchange.send(repeat); // throws once the client has hung up
                sent.addAndGet(repeat.length);
            }
        };
    }
}
