package dev.helios4j.remote;

import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import dev.helios4j.Usage;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * One client of {@link StreamBenchmark}, alone in its JVM: warms up, says {@code ready}, then runs
 * the windows the benchmark asks for on standard input ({@code long N}: N long answers; {@code short
 * N}: N short ones back to back) and answers each with one line of figures measured by
 * {@link ProcessMeter}. Every answer's joined text is checked against {@link RealChunks#text}; a
 * mismatch ends the JVM with {@code FAIL} and the first difference.
 */
public final class BenchClient {
    /** A configured client streaming one answer; first[0] gets the nanoTime of the first non-empty piece. */
    interface Streamer extends AutoCloseable {
        String stream(long[] first) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    private BenchClient() {
    }

    /** @param args client name, server base URL, long answer pieces, short answer pieces, warm-up long, warm-up short */
    public static void main(String[] args) throws Exception {
        String name = args[0];
        String base = args[1];
        int longCount = Integer.parseInt(args[2]);
        int shortCount = Integer.parseInt(args[3]);
        String longText = RealChunks.text(longCount);
        String shortText = RealChunks.text(shortCount);
        try (Streamer longs = open(name, base + "/long/v1", longCount);
             Streamer shorts = open(name, base + "/short/v1", shortCount)) {
            for (int i = 0; i < Integer.parseInt(args[4]); i++) {
                check(name, longText, longs.stream(new long[1]));
            }
            for (int i = 0; i < Integer.parseInt(args[5]); i++) {
                check(name, shortText, shorts.stream(new long[1]));
            }
            System.out.println("ready");
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String command; (command = commands.readLine()) != null && !command.equals("quit"); ) {
                String[] words = command.split(" ");
                boolean isLong = words[0].equals("long");
                int n = Integer.parseInt(words[1]);
                System.out.println(window(name, isLong ? longs : shorts, isLong ? longText : shortText, n));
            }
        } catch (Throwable e) {
            System.out.println("FAIL " + name + ": " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static String window(String name, Streamer client, String expected, int n) throws Exception {
        long[] firstToken = new long[n];
        System.gc(); // a collection owed by the previous window is not this one's
        ProcessMeter meter = ProcessMeter.start();
        for (int i = 0; i < n; i++) {
            long[] first = new long[1];
            long start = System.nanoTime();
            String text = client.stream(first);
            firstToken[i] = first[0] - start;
            check(name, expected, text);
        }
        ProcessMeter.Window w = meter.stop();
        Arrays.sort(firstToken);
        return String.format(Locale.ROOT, "cpu=%d jit=%d alloc=%d started=%d ended=%d coarse=%b wall=%d ttft=%d",
                w.cpuNanos(), w.jitNanos(), w.allocatedBytes(), w.threadsStarted(), w.threadsEnded(), w.coarse(),
                w.wallNanos(), firstToken[n / 2]);
    }

    private static void check(String name, String expected, String got) {
        if (!expected.equals(got)) {
            int at = 0;
            while (at < Math.min(expected.length(), got.length()) && expected.charAt(at) == got.charAt(at)) {
                at++;
            }
            throw new IllegalStateException(name + " received a text that differs from the one sent, at char " + at
                    + " of " + expected.length() + " (got " + got.length() + "): expected \""
                    + expected.substring(at, Math.min(expected.length(), at + 20)) + "\", got \""
                    + got.substring(at, Math.min(got.length(), at + 20)) + "\"");
        }
    }

    private static Streamer open(String name, String baseUrl, int pieces) {
        return switch (name) {
            case "bare" -> bareJdk(baseUrl, false);
            case "bare-publisher" -> bareJdk(baseUrl, true); // a diagnostic: helios4j's hand-off, nothing else

            case "helios4j" -> helios(baseUrl, pieces);
            case "langchain4j" -> OtherClients.langChain4j(baseUrl);
            case "openai-java" -> OtherClients.openAiJava(baseUrl);
            default -> throw new IllegalArgumentException("unknown client " + name);
        };
    }

    private static Streamer helios(String baseUrl, int pieces) {
        Settings settings = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"))
                .with("openai.base-url", baseUrl).with("openai.api-key", "k");
        for (String pair : System.getProperty("bench.helios.settings", "").split(",")) { // for experiments
            if (!pair.isEmpty()) {
                settings = settings.with(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        LlmClient client = Llm.open("openai:gpt-4o-mini", settings);
        ChatRequest request = ChatRequest.of("Hi");
        Usage usage = Usage.of(RealChunks.promptTokens(), pieces);
        return new Streamer() {
            @Override
            public String stream(long[] first) {
                StringBuilder text = new StringBuilder();
                ChatResponse r = client.stream(request, piece -> {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime();
                    }
                    text.append(piece);
                });
                if (!r.usage().equals(usage) || !r.text().contentEquals(text)) {
                    throw new IllegalStateException("helios4j answered " + r.usage() + " (sent " + usage + "), its text "
                            + (r.text().contentEquals(text) ? "equal to" : "different from") + " the joined pieces");
                }
                return text.toString();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /**
     * The least a Java program can do with the JDK alone: read lines, pick out each chunk's
     * {@code "content":"..."} and unescape it. No JSON library, no events, no error handling.
     */
    private static Streamer bareJdk(String baseUrl, boolean publisher) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create(baseUrl + "/chat/completions");
        return first -> {
            // A request per call, as every call sends a new prompt; the body is the least OpenAI accepts.
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header("Content-Type", "application/json").header("Authorization", "Bearer k")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":"
                            + "\"user\",\"content\":\"Hi\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}"))
                    .build();
            InputStream body = publisher ? QueuedBody.open(http, request)
                    : http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body();
            StringBuilder text = new StringBuilder();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                        continue;
                    }
                    int at = line.indexOf("\"content\":\"");
                    if (at >= 0 && line.charAt(at + 11) != '"') {
                        if (first[0] == 0) {
                            first[0] = System.nanoTime();
                        }
                        unescape(line, at + 11, text);
                    }
                }
            }
            return text.toString();
        };
    }

    private static void unescape(String s, int from, StringBuilder out) {
        for (int i = from; ; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return;
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(s, i + 1, i + 5, 16));
                    i += 4;
                }
                default -> out.append(e);
            }
        }
    }
}
