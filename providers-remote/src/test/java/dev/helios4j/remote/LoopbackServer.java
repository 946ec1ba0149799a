package dev.helios4j.remote;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 server on loopback, on a raw socket so that tests control every byte: chunked
 * streams written piece by piece, stalls, a reset (RST) mid-stream, a body cut short. One request
 * per connection ({@code Connection: close}). Every request is recorded.
 */
final class LoopbackServer implements AutoCloseable {
    /** A request as received; header names in lower case. */
    record Request(String method, String path, Map<String, String> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    interface Handler {
        void handle(Request request, Exchange exchange) throws Exception;
    }

    private final ServerSocket socket;
    private final ExecutorService threads;
    final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    final AtomicInteger connections = new AtomicInteger();
    /** Connections accepted and not yet closed, so that {@link #close} can drop them as a killed server would. */
    private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Handler handler;

    LoopbackServer(Handler handler) throws IOException {
        this(handler, 0);
    }

    /**
     * @param workers how many connections are served at once by a fixed set of threads, so a test
     *                can count the threads the client starts; 0 for a thread per open connection
     */
    LoopbackServer(Handler handler, int workers) throws IOException {
        java.util.concurrent.ThreadFactory named = r -> {
            Thread t = new Thread(r, "loopback-server");
            t.setDaemon(true);
            return t;
        };
        this.threads = workers == 0 ? Executors.newCachedThreadPool(named) : Executors.newFixedThreadPool(workers + 1, named);
        this.handler = handler;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    void handler(Handler next) {
        this.handler = next;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            Socket s;
            try {
                s = socket.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            open.add(s);
            try {
                threads.execute(() -> serve(s));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // accepted just as the server closed: a killed server leaves no connection hanging
                closeQuietly(s);
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            if (socket.isClosed()) {
                return; // closed between accept and here: close() may have missed this connection
            }
            InputStream in = new BufferedInputStream(s.getInputStream());
            Request request = read(in);
            requests.add(request);
            Exchange exchange = new Exchange(s);
            handler.handle(request, exchange);
            exchange.end();
        } catch (Exception e) {
            // the client went away (a cancel) or a test ended the exchange abruptly
        } finally {
            open.remove(s);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static Request read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed before the request ended");
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] start = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Request(start[0], start[1], headers, in.readNBytes(length));
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
        // as a killed server: every connection still open closes too (clients see the drop at once)
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    /** Writes one response; each {@link #send} is one HTTP chunk, flushed at once. */
    static final class Exchange {
        private final Socket socket;
        private final OutputStream out;
        private boolean streaming;
        private boolean ended;

        Exchange(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void respond(int status, String contentType, String body, String... headers) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            head(status, contentType, "Content-Length: " + bytes.length, headers);
            out.write(bytes);
            out.flush();
            ended = true;
        }

        void startStream(int status, String contentType, String... headers) throws IOException {
            head(status, contentType, "Transfer-Encoding: chunked", headers);
            out.flush();
            streaming = true;
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] bytes) throws IOException {
            send(bytes, 0, bytes.length);
        }

        void send(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return;
            }
            out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes, offset, length);
            out.write(CRLF);
            out.flush();
        }

        /** Ends a chunked stream properly; a no-op when already ended. */
        void end() throws IOException {
            if (streaming && !ended) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            ended = true;
        }

        /** Sends a TCP reset: the client sees "connection reset" mid-stream. */
        void reset() throws IOException {
            ended = true;
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Waits for the client to close its end: true when it did within the time. */
        boolean awaitClientGone(long millis) {
            try {
                socket.setSoTimeout((int) millis);
                return socket.getInputStream().read() < 0;
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the client: gone too
            }
        }

        /** Closes without the last chunk: the body is cut short. */
        void cut() throws IOException {
            ended = true;
            out.flush();
            socket.close();
        }

        private void head(int status, String contentType, String framing, String... headers) throws IOException {
            StringBuilder h = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status))
                    .append("\r\nContent-Type: ").append(contentType).append("\r\n").append(framing)
                    .append("\r\nConnection: close\r\n");
            for (String header : headers) {
                h.append(header).append("\r\n");
            }
            out.write(h.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        }

        private static final byte[] CRLF = {'\r', '\n'};

        private static String reason(int status) {
            return switch (status) {
                case 200 -> "OK";
                case 400 -> "Bad Request";
                case 401 -> "Unauthorized";
                case 404 -> "Not Found";
                case 429 -> "Too Many Requests";
                case 502 -> "Bad Gateway";
                default -> "Status";
            };
        }
    }
}
