package dev.helios4j.local.internal.engine;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * One streamed answer on the wire, in llama-server's chunk format: a role chunk, a chunk per
 * piece, a final chunk with the finish reason, a usage chunk when asked for, then {@code [DONE]}.
 *
 * <p>Each piece is written and flushed at once, so the client sees it as it is produced. The
 * parts of a chunk that never change are encoded once per answer; a piece costs one escape into a
 * reused buffer. The response headers go out with the first chunk, so a failure before it is still
 * an ordinary HTTP error. A write that fails (the client went away) throws
 * {@link UncheckedIOException} out of {@link #piece}, which ends the generation and frees the slot.
 */
final class ServedStream {
    private static final byte[] PIECE_START = ascii(
            "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"content\":\"");
    private static final byte[] PIECE_END = ascii("\"}}],");
    private static final byte[] ROLE = ascii(
            "data: {\"choices\":[{\"finish_reason\":null,\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}],");
    private static final byte[] EVENT_END = ascii("}\n\n");
    private static final byte[] DONE = ascii("data: [DONE]\n\n");

    private final HttpExchange exchange;
    /** {@code "created":…,"id":…,"model":…,"system_fingerprint":…,"object":"chat.completion.chunk"}. */
    private final byte[] tail;
    private final ServedBytes buffer = new ServedBytes(512);
    private OutputStream out;
    private int pieces;

    ServedStream(HttpExchange exchange, ServedIds ids, String model) {
        this.exchange = exchange;
        this.tail = new ServedBytes(256).append(ascii("\"created\":" + ids.created() + ",\"id\":\"" + ids.id()
                        + "\",\"model\":\"")).appendEscaped(model)
                .append(ascii("\",\"system_fingerprint\":\"" + ServedIds.FINGERPRINT
                        + "\",\"object\":\"chat.completion.chunk\""))
                .toArray();
    }

    boolean started() {
        return out != null;
    }

    int pieces() {
        return pieces;
    }

    /** The listener of the generation: writes one piece and flushes it. */
    void piece(String piece) {
        try {
            buffer.reset();
            if (out == null) {
                start();
            }
            buffer.append(PIECE_START).appendEscaped(piece).append(PIECE_END).append(tail).append(EVENT_END);
            out.write(buffer.array(), 0, buffer.size());
            out.flush();
            pieces++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Ends the answer.
     *
     * @param finish {@code "finishReason":…} and, where known, a stop reason: the inside of a choice
     * @param usage the usage object, or null when the client did not ask for a usage chunk
     * @param timings llama-server's timings object
     */
    void finish(String finish, byte[] usage, byte[] timings) throws IOException {
        buffer.reset();
        if (out == null) {
            start();
        }
        buffer.append(ascii("data: {\"choices\":[{" + finish + ",\"index\":0,\"delta\":{}}],")).append(tail);
        if (usage == null) {
            buffer.append(ascii(",\"timings\":")).append(timings).append(EVENT_END);
        } else {
            buffer.append(EVENT_END).append(ascii("data: {\"choices\":[],")).append(tail)
                    .append(ascii(",\"usage\":")).append(usage)
                    .append(ascii(",\"timings\":")).append(timings).append(EVENT_END);
        }
        buffer.append(DONE);
        out.write(buffer.array(), 0, buffer.size());
        out.flush();
    }

    /** A failure after the headers went out: llama-server's error object as a data event. */
    void error(byte[] errorJson) throws IOException {
        buffer.reset();
        buffer.append(ascii("data: ")).append(errorJson).append(ascii("\n\n"));
        out.write(buffer.array(), 0, buffer.size());
        out.flush();
    }

    /** Headers, then the role chunk into the buffer (sent with the first piece). */
    private void start() throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        out = exchange.getResponseBody();
        buffer.append(ROLE).append(tail).append(EVENT_END);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
