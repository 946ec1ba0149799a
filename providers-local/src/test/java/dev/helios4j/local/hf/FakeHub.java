package dev.helios4j.local.hf;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback server that answers like the Hub's resolve endpoint. LFS files answer a HEAD or GET
 * with a 302 to a CDN path on another host name ({@code localhost} instead of {@code 127.0.0.1},
 * so a token leaking across hosts would be seen) carrying {@code X-Repo-Commit},
 * {@code X-Linked-Etag} (the SHA-256) and {@code X-Linked-Size}; plain git files answer 200 with
 * their git blob id as {@code ETag}. Unknown files get a 404 with {@code X-Error-Code}. The CDN
 * honours {@code Range}, and can be told to drop the connection mid-file or serve damaged bytes.
 * Every request is recorded. Public for the notebooks' tests, which fetch a model through it
 * (the test-jar).
 */
public final class FakeHub implements AutoCloseable {
    record Request(String method, String host, String path, String authorization, String range) {
    }

    private record Entry(String commit, byte[] content, boolean lfs) {
    }

    private static final Pattern RESOLVE = Pattern.compile("/([^/]+/[^/]+)/resolve/([^/]+)/(.+)");
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Entry> files = new ConcurrentHashMap<>();
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();
    /** How many more CDN answers drop the connection, and after how many bytes. */
    final AtomicInteger dropsLeft = new AtomicInteger();
    volatile int dropAfterBytes;
    volatile boolean corrupt;
    volatile long cdnDelayMillis;
    /** When at least 0: the CDN sends this many bytes, then goes silent for {@link #stallMillis}. */
    volatile int stallAfterBytes = -1;
    volatile long stallMillis;
    /** When above 0: the CDN sends this many bytes at a time, every {@link #trickleMillis}. */
    volatile int trickleBytes;
    volatile long trickleMillis;
    /** When set: the Hub's redirect carries this Location, as a broken or hostile server might. */
    volatile String badLocation;

    public FakeHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        // Several handler threads, as a real server has, so concurrent downloads really overlap.
        server.setExecutor(executor);
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public FakeHub lfs(String repo, String revision, String commit, String file, byte[] content) {
        files.put(repo + "|" + revision + "|" + file, new Entry(commit, content, true));
        files.put(repo + "|" + commit + "|" + file, new Entry(commit, content, true));
        blobs.put(sha256(content), content);
        return this;
    }

    FakeHub git(String repo, String revision, String commit, String file, byte[] content) {
        files.put(repo + "|" + revision + "|" + file, new Entry(commit, content, false));
        return this;
    }

    public long count(String method, String pathPart) {
        return requests.stream().filter(r -> r.method.equals(method) && r.path.contains(pathPart)).count();
    }

    private void handle(HttpExchange ex) throws IOException {
        Headers in = ex.getRequestHeaders();
        String path = ex.getRequestURI().getRawPath();
        requests.add(new Request(ex.getRequestMethod(), in.getFirst("Host"), path, in.getFirst("Authorization"),
                in.getFirst("Range")));
        try (ex) {
            if (path.startsWith("/cdn/")) {
                cdn(ex, blobs.get(path.substring(5)));
                return;
            }
            Matcher m = RESOLVE.matcher(path);
            Entry entry = m.matches() ? files.get(m.group(1) + "|" + URLDecoder.decode(m.group(2), StandardCharsets.UTF_8)
                    + "|" + URLDecoder.decode(m.group(3), StandardCharsets.UTF_8)) : null;
            Headers out = ex.getResponseHeaders();
            if (entry == null) {
                out.add("X-Error-Code", "EntryNotFound");
                out.add("X-Error-Message", "Entry not found");
                send(ex, 404, new byte[0]);
                return;
            }
            out.add("X-Repo-Commit", entry.commit);
            if (entry.lfs) {
                String sha = sha256(entry.content);
                out.add("ETag", "\"" + gitSha1(("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha)
                        .getBytes(StandardCharsets.UTF_8)) + "\"");
                out.add("X-Linked-Etag", "\"" + sha + "\"");
                out.add("X-Linked-Size", Long.toString(entry.content.length));
                String bad = badLocation;
                out.add("Location", bad != null ? bad : "http://localhost:" + server.getAddress().getPort() + "/cdn/" + sha);
                send(ex, 302, new byte[0]);
            } else {
                out.add("ETag", "W/\"" + gitSha1(entry.content) + "\"");
                send(ex, 200, entry.content);
            }
        }
    }

    private void cdn(HttpExchange ex, byte[] content) throws IOException {
        if (content == null) {
            send(ex, 404, new byte[0]);
            return;
        }
        sleep(cdnDelayMillis);
        byte[] body = content.clone();
        if (corrupt) {
            body[body.length / 2] ^= 0x55;
        }
        int from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        Matcher m = range == null ? null : RANGE.matcher(range);
        if (m != null && m.matches()) {
            from = Integer.parseInt(m.group(1));
            if (from >= body.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                send(ex, 416, new byte[0]);
                return;
            }
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
        }
        int length = body.length - from;
        ex.getResponseHeaders().add("Accept-Ranges", "bytes");
        ex.sendResponseHeaders(from > 0 ? 206 : 200, length);
        OutputStream out = ex.getResponseBody();
        if (dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            // Send part of the body, then end the exchange short: the client sees the connection drop.
            out.write(body, from, Math.min(dropAfterBytes, length));
            out.flush();
            return;
        }
        int chunk = trickleBytes;
        if (chunk > 0) {
            // Slowly, until done, the client goes away, or the server stops.
            while (length > 0 && !Thread.currentThread().isInterrupted()) {
                int n = Math.min(chunk, length);
                out.write(body, from, n);
                out.flush();
                from += n;
                length -= n;
                sleep(trickleMillis);
            }
            return;
        }
        int stallAt = stallAfterBytes;
        if (stallAt >= 0 && stallAt < length) {
            out.write(body, from, stallAt);
            out.flush();
            sleep(stallMillis);
            from += stallAt;
            length -= stallAt;
        }
        out.write(body, from, length);
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            if (status == 200) {
                ex.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
            }
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        ex.getResponseBody().write(body);
    }

    static String sha256(byte[] content) {
        return digest("SHA-256", new byte[0], content);
    }

    static String gitSha1(byte[] content) {
        return digest("SHA-1", ("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII), content);
    }

    private static String digest(String algorithm, byte[] prefix, byte[] content) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm);
            md.update(prefix);
            return HexFormat.of().formatHex(md.digest(content));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
