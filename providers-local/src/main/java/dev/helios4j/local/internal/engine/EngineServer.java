package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.helios4j.local.internal.LlamaEngine;
import dev.helios4j.local.internal.gguf.GgufHeader;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * helios4j's Java engine process: one model, served over llama-server's HTTP API and started with
 * llama-server's flags, so that a parent JVM supervises it exactly as it supervises a real
 * llama-server, and talks to it with the OpenAI-compatible client.
 *
 * <pre>LLAMA_API_KEY=KEY java -cp JARS dev.helios4j.local.internal.engine.EngineServer -m model.gguf --host 127.0.0.1 --port 0</pre>
 *
 * <p>(The key may also be given with {@code --api-key} or {@code --api-key-file}, as to llama-server;
 * the environment keeps it out of the process list.)
 *
 * <p>The socket is bound first, then the model loads on a thread of its own: {@code /health}
 * answers 503 meanwhile and 200 once the model is ready. The only line on stdout is
 * {@code helios4j engine listening on http://HOST:PORT}, printed once bound (with {@code --port 0},
 * it names the port chosen); log lines go to stderr. The process exits when its stdin reaches end of
 * file (the parent died or closed it: keep stdin open), on SIGTERM, and with code 2 after one line
 * on stderr when the flags are wrong, the port cannot be bound or the model cannot be loaded.
 */
public final class EngineServer {
    /** The exit code of a fatal start: bad flags, no socket, or a model that does not load. */
    static final int EXIT_FATAL = 2;
    private static final String LOG_PREFIX = "helios4j engine: ";
    /** Endpoints llama-server answers without the API key. */
    private static final Set<String> PUBLIC = Set.of("/health", "/v1/health");

    private final JavaEngineFlags flags;
    /** Each accepted key, in UTF-8. */
    private final List<byte[]> keys;
    /** Null until the model is loaded: every endpoint answers 503 meanwhile. */
    private volatile ServedModel ready;
    private HttpServer http;
    private ExecutorService workers;

    private EngineServer(JavaEngineFlags flags) {
        this.flags = flags;
        this.keys = flags.apiKeys().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /**
     * Starts the engine; see the class description for the flags and the lifecycle.
     *
     * @param args llama-server's flags
     */
    public static void main(String[] args) {
        // Read once by the JDK's server: without it, Nagle's algorithm holds small chunks back.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        JavaEngineFlags flags;
        try {
            flags = JavaEngineFlags.parse(List.of(args), System.getenv());
        } catch (JavaEngineFlags.BadFlagException e) {
            fatal(e.getMessage());
            return;
        }
        EngineServer server = new EngineServer(flags);
        String url;
        try {
            url = server.bind();
        } catch (IOException | RuntimeException e) {
            fatal("cannot listen on " + flags.host() + ":" + flags.port() + ": " + e.getMessage()
                    + ". Pick another --port (0 picks a free one) or --host.");
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "engine-stop"));
        watchStdin();
        System.out.println("helios4j engine listening on " + url);
        System.out.flush();
        new Thread(server::load, "engine-load").start();
    }

    private String bind() throws IOException {
        InetAddress address = InetAddress.getByName(flags.host());
        http = HttpServer.create(new InetSocketAddress(address, flags.port()), 64);
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newCachedThreadPool(r -> daemon(r, "engine-http-" + n.incrementAndGet()));
        http.setExecutor(workers);
        http.createContext("/", this::handle);
        http.start();
        String host = address.getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + http.getAddress().getPort();
    }

    /**
     * Loads the model while Jackson warms up on another thread: its first use costs ~0.4 s, which
     * would otherwise delay the ready line or add to the load.
     */
    private void load() {
        long started = System.nanoTime();
        try {
            CompletableFuture<ObjectMapper> json = CompletableFuture.supplyAsync(EngineServer::newMapper,
                    r -> daemon(r, "engine-json").start());
            LlamaEngine loaded = LlamaEngine.load(flags.model(), flags.modelName(), flags.settings());
            Path file = Path.of(flags.model());
            GgufHeader header = Files.isRegularFile(file) ? GgufHeader.read(file) : null;
            ObjectMapper mapper = json.join();
            ready = new ServedModel(loaded, header, mapper, new ServedInfo(mapper, flags),
                    new ServedChat(mapper, flags.modelName()));
            log("model loaded in " + (System.nanoTime() - started) / 1_000_000 + " ms; serving "
                    + flags.parallel() + " slot(s)");
        } catch (Throwable e) {
            fatal("cannot load the model: " + oneLine(e instanceof java.util.concurrent.CompletionException
                    && e.getCause() != null ? e.getCause() : e));
        }
    }

    private static ObjectMapper newMapper() {
        ObjectMapper mapper = new ObjectMapper();
        try {
            mapper.writeValueAsBytes(mapper.readTree("{\"warm\":[1,\"up\"]}")); // loads what every request uses
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return mapper;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The parent holds our stdin open; its end (the parent closed it or died) ends this process. */
    private static void watchStdin() {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[256];
            try (InputStream in = System.in) {
                while (in.read(buffer) >= 0) {
                    // nothing is read from the parent yet; the open pipe is the signal
                }
            } catch (IOException e) {
                // a broken pipe ends this process like end of file
            }
            log("stdin closed: the parent is gone, exiting");
            System.exit(0);
        }, "engine-stdin");
        t.setDaemon(true);
        t.start();
    }

    private void stop() {
        if (http != null) {
            http.stop(0);
        }
        if (workers != null) {
            workers.shutdownNow();
        }
    }

    private void handle(HttpExchange exchange) {
        try {
            route(exchange);
        } catch (RuntimeException e) {
            if (exchange.getResponseCode() == -1) {
                sendError(exchange, ServedError.of(e));
            } else {
                log("request " + exchange.getRequestURI().getPath() + " failed after its answer began: " + oneLine(e));
            }
        } catch (IOException e) {
            log("request " + exchange.getRequestURI().getPath() + " ended early: " + e.getMessage());
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (!PUBLIC.contains(path) && !authorized(exchange)) {
            sendError(exchange, ServedError.unauthorized());
            return;
        }
        ServedModel m = ready;
        if (m == null) {
            sendError(exchange, ServedError.loading()); // every endpoint, as llama-server while it loads
            return;
        }
        switch (method + " " + path) {
            case "GET /health", "GET /v1/health" -> sendJson(exchange, 200, m.info().health());
            case "GET /models", "GET /v1/models" -> sendJson(exchange, 200, m.info().models(m.header()));
            case "GET /props" -> sendJson(exchange, 200, m.info().props(m.engine(), m.header()));
            case "POST /tokenize" -> sendJson(exchange, 200,
                    m.info().tokenize(m.engine(), m.header(), exchange.getRequestBody().readAllBytes()));
            case "POST /apply-template" -> sendJson(exchange, 200,
                    m.info().applyTemplate(m.engine(), exchange.getRequestBody().readAllBytes()));
            case "POST /chat/completions", "POST /v1/chat/completions" -> m.chat().handle(exchange, m.engine());
            case "POST /embeddings", "POST /v1/embeddings" -> sendJson(exchange, 200, ServedEmbeddings.handle(m.json(),
                    m.engine(), flags.modelName(), exchange.getRequestBody().readAllBytes()));
            default -> sendError(exchange, ServedError.notFound());
        }
    }

    /**
     * As llama-server: the {@code Authorization} header (its {@code Bearer } prefix removed), or
     * {@code X-Api-Key} when there is none, must be one of the keys; compared in constant time.
     */
    private boolean authorized(HttpExchange exchange) {
        if (keys.isEmpty()) {
            return true;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        if (given == null || given.isEmpty()) {
            given = exchange.getRequestHeaders().getFirst("X-Api-Key");
        } else if (given.startsWith("Bearer ")) {
            given = given.substring("Bearer ".length());
        }
        return matches(given, keys);
    }

    private static boolean matches(String header, List<byte[]> accepted) {
        if (header == null) {
            return false;
        }
        byte[] given = header.getBytes(StandardCharsets.UTF_8);
        boolean found = false;
        for (byte[] a : accepted) {
            found |= MessageDigest.isEqual(a, given);
        }
        return found;
    }

    private void sendError(HttpExchange exchange, ServedError error) {
        try {
            ServedModel m = ready;
            sendJson(exchange, error.status(), error.toJson(m == null ? null : m.json()));
        } catch (IOException e) {
            log("could not send an error to the client: " + e.getMessage());
        }
    }

    static void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.getResponseBody().flush();
    }

    static void log(String line) {
        System.err.println(LOG_PREFIX + line);
    }

    private static void fatal(String line) {
        System.err.println(LOG_PREFIX + line);
        System.err.flush();
        System.exit(EXIT_FATAL);
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
