package dev.helios4j.remote;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The benchmark's server, in a JVM of its own so that its work never counts as a client's: the JDK's
 * HTTP/1.1 server on loopback, keeping connections alive as OpenAI's does, answering
 * {@code POST /long/v1/chat/completions} with a long {@link RealChunks} answer written in 16 KB
 * pieces (parsing cost is what a long answer measures) and {@code /short/...} with a short one
 * written and flushed event by event, as a server streaming tokens does. The usage chunk comes only
 * when the request asked for it, as with OpenAI. Prints its port, then serves until killed.
 *
 * <p>Start with {@code -Dsun.net.httpserver.nodelay=true}: otherwise Nagle's algorithm holds each
 * small event back and the first-token figures measure TCP, not clients.
 */
public final class BenchServer {
    private BenchServer() {
    }

    /** @param args the long answer's pieces, the short answer's pieces */
    public static void main(String[] args) throws IOException {
        int longCount = Integer.parseInt(args[0]);
        int shortCount = Integer.parseInt(args[1]);
        byte[][] longBody = {RealChunks.body(longCount, false), RealChunks.body(longCount, true)};
        List<?>[] shortEvents = {RealChunks.events(shortCount, false), RealChunks.events(shortCount, true)};
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", exchange -> {
            try (exchange) {
                serve(exchange, longBody, shortEvents);
            }
        });
        server.start();
        System.out.println(server.getAddress().getPort());
        System.out.flush();
    }

    private static void serve(HttpExchange exchange, byte[][] longBody, List<?>[] shortEvents) throws IOException {
        byte[] request;
        try (InputStream in = exchange.getRequestBody()) {
            request = in.readAllBytes();
        }
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("POST") || !path.endsWith("/chat/completions")) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        String body = new String(request, StandardCharsets.UTF_8);
        if (!isTrue(body, "stream")) {
            byte[] error = "{\"error\":{\"message\":\"this server only streams\"}}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(400, error.length);
            exchange.getResponseBody().write(error);
            return;
        }
        int usage = isTrue(body, "include_usage") ? 1 : 0;
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0); // chunked
        OutputStream out = exchange.getResponseBody();
        if (path.startsWith("/long/")) {
            byte[] b = longBody[usage];
            for (int at = 0; at < b.length; at += 16_384) {
                out.write(b, at, Math.min(16_384, b.length - at));
            }
        } else {
            for (Object event : shortEvents[usage]) {
                out.write((byte[]) event);
                out.flush();
            }
        }
    }

    /** Whether the JSON body has {@code "name": true}, whatever the spacing a client's writer uses. */
    private static boolean isTrue(String body, String name) {
        int at = body.indexOf("\"" + name + "\"");
        if (at < 0) {
            return false;
        }
        int i = at + name.length() + 2;
        while (i < body.length() && (body.charAt(i) == ' ' || body.charAt(i) == ':')) {
            i++;
        }
        return body.startsWith("true", i);
    }
}
