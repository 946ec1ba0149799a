package dev.helios4j.remote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The streaming benchmark (issue 16), a program, not a test: {@code providers-remote/bench/stream.sh}
 * runs it. A {@link BenchServer} JVM streams OpenAI's real chunk format ({@link RealChunks}); each
 * client runs in a {@code BenchClient} JVM of its own, started afresh and warmed up every round
 * (so the ranges include how differently two JVMs compile the same code); rounds are interleaved (A B C D, then B C D A,
 * ...), so a burst of load from elsewhere lands on every client rather than on one row. Per round
 * and client: one window of long answers (CPU and allocation per chunk) and one window of short ones
 * back to back (requests per second, CPU and threads started per request, median time to the first
 * piece). The table shows medians over rounds with their min–max; ratios are taken within a round,
 * then summarised the same way. The 1-minute load average is read after every window.
 */
public final class StreamBenchmark {
    private static final String[][] CLIENTS = {
        {"bare", "bare JDK HttpClient"},
        {"helios4j", "**helios4j**"},
        {"langchain4j", "LangChain4j 1.19.0"},
        {"openai-java", "openai-java 4.8.0"},
    };
    private static final int BARE = 0;
    private static final int HELIOS = 1;
    private static final int LANGCHAIN = 2;
    private static final int OPENAI = 3;
    private static final int SHORT_PIECES = 16;
    /** By name: a class literal would make javac compile it, and the libraries it needs, in every build. */
    private static final String CLIENT_MAIN = "dev.helios4j.remote.BenchClient";

    private StreamBenchmark() {
    }

    private record Plan(int longPieces, int rounds, int longPerWindow, int burst, int warmLong, int warmShort) {
    }

    /** One window's line from a client, parsed. */
    private record Figures(Map<String, Long> values, double load) {
        long get(String key) {
            return values.get(key);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Boolean.getBoolean("bench.quick");
        Plan plan = quick ? new Plan(20_000, 3, 1, 300, 1, 300) : new Plan(100_000, 7, 1, 2_000, 2, 5_000);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        PrintStream log = System.err;
        Process server = new ProcessBuilder(java, "-Xmx1g", "-Dsun.net.httpserver.nodelay=true", "-cp", cp,
                BenchServer.class.getName(), String.valueOf(plan.longPieces), String.valueOf(SHORT_PIECES))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String port = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            if (port == null) {
                throw new IllegalStateException("the benchmark server did not start (see its error above)");
            }
            String base = "http://127.0.0.1:" + port;
            Figures[][] longs = new Figures[plan.rounds][CLIENTS.length];
            Figures[][] shorts = new Figures[plan.rounds][CLIENTS.length];
            for (int r = 0; r < plan.rounds; r++) {
                log.println("round " + (r + 1) + " of " + plan.rounds);
                // Fresh JVMs every round: the JIT compiles each JVM a little differently, so one JVM
                // per client for the whole run would print ranges that the next run falls outside of.
                List<Client> clients = new ArrayList<>();
                try {
                    for (String[] c : CLIENTS) {
                        clients.add(new Client(c[0], new ProcessBuilder(java, "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-cp", cp,
                                CLIENT_MAIN, c[0], base, String.valueOf(plan.longPieces),
                                String.valueOf(SHORT_PIECES), String.valueOf(plan.warmLong), String.valueOf(plan.warmShort))
                                .redirectError(ProcessBuilder.Redirect.INHERIT).start()));
                        clients.get(clients.size() - 1).await("ready"); // warmed up, one at a time
                    }
                    for (int k = 0; k < CLIENTS.length; k++) {
                        int c = (r + k) % CLIENTS.length;
                        longs[r][c] = clients.get(c).window("long " + plan.longPerWindow);
                    }
                    for (int k = 0; k < CLIENTS.length; k++) {
                        int c = (r + k) % CLIENTS.length;
                        shorts[r][c] = clients.get(c).window("short " + plan.burst);
                    }
                } finally {
                    for (Client c : clients) {
                        c.close();
                    }
                }
            }
            print(System.out, plan, quick, longs, shorts);
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    /** A client JVM, driven one command at a time over its standard input. */
    private static final class Client implements AutoCloseable {
        private final String name;
        private final Process process;
        private final BufferedReader out;
        private final PrintWriter in;

        Client(String name, Process process) {
            this.name = name;
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        String await(String expected) throws IOException {
            String line = out.readLine();
            if (line == null || line.startsWith("FAIL") || expected != null && !line.equals(expected)) {
                throw new IllegalStateException("the " + name + " client failed: "
                        + (line == null ? "its JVM ended (see its error above)" : line));
            }
            return line;
        }

        Figures window(String command) throws IOException {
            in.println(command);
            String line = await(null);
            Map<String, Long> values = new LinkedHashMap<>();
            for (String pair : line.split(" ")) {
                String[] kv = pair.split("=");
                values.put(kv[0], kv[1].equals("true") ? 1L : kv[1].equals("false") ? 0L : Long.parseLong(kv[1]));
            }
            return new Figures(values, loadAverage());
        }

        @Override
        public void close() throws InterruptedException {
            in.println("quit");
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static double loadAverage() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }

    private static void print(PrintStream out, Plan plan, boolean quick, Figures[][] longs, Figures[][] shorts) {
        double chunks = (double) plan.longPieces * plan.longPerWindow;
        out.printf(Locale.ROOT, "Streaming benchmark (issue 16), %s, %s: %d rounds, each client once per round in its "
                + "own JVM, a fresh one every round, order rotated; long answers of %,d chunks (%d per window); bursts of %,d short answers "
                + "(%d pieces each, one write per event); Java %s, %d CPUs. Medians over rounds, (min–max).%n%n",
                LocalDate.now(ZoneOffset.UTC), quick ? "quick mode" : "full mode", plan.rounds, plan.longPieces,
                plan.longPerWindow, plan.burst, SHORT_PIECES, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors());
        out.println("| client | CPU µs per chunk | CPU ÷ helios4j's | bytes allocated per chunk | requests/s (burst) "
                + "| × bare JDK's | CPU µs per request | threads started per request | first piece µs | over bare JDK µs |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (int c = 0; c < CLIENTS.length; c++) {
            int k = c;
            out.println("| " + CLIENTS[c][1]
                    + " | " + cell(longs, r -> r[k].get("cpu") / 1e3 / chunks, 2)
                    + " | " + cell(longs, r -> (double) r[k].get("cpu") / r[HELIOS].get("cpu"), 2)
                    + " | " + cell(longs, r -> r[k].get("alloc") / chunks, 0)
                    + " | " + cell(shorts, r -> perSecond(r[k], plan), 0)
                    + " | " + cell(shorts, r -> perSecond(r[k], plan) / perSecond(r[BARE], plan), 2)
                    + " | " + cell(shorts, r -> r[k].get("cpu") / 1e3 / plan.burst, 0)
                    + " | " + cell(shorts, r -> (double) r[k].get("started") / plan.burst, 3)
                    + " | " + cell(shorts, r -> r[k].get("ttft") / 1e3, 0)
                    + " | " + cell(shorts, r -> (r[k].get("ttft") - r[BARE].get("ttft")) / 1e3, 0) + " |");
        }
        List<Double> loads = new ArrayList<>();
        StringBuilder perRound = new StringBuilder();
        for (int r = 0; r < plan.rounds; r++) {
            double lo = Double.MAX_VALUE;
            double hi = 0;
            for (Figures[] table : List.of(longs[r], shorts[r])) {
                for (Figures f : table) {
                    loads.add(f.load);
                    lo = Math.min(lo, f.load);
                    hi = Math.max(hi, f.load);
                }
            }
            perRound.append(String.format(Locale.ROOT, "%s%.1f–%.1f", r == 0 ? "" : ", ", lo, hi));
        }
        double[] l = loads.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        out.printf(Locale.ROOT, "%nLoad average (1 min) after each window: median %.1f (%.1f–%.1f); per round: %s.%n",
                median(l), l[0], l[l.length - 1], perRound);
        notes(out, longs, shorts);
        goals(out, plan, longs, shorts);
    }

    private static void notes(PrintStream out, Figures[][] longs, Figures[][] shorts) {
        StringBuilder notes = new StringBuilder();
        for (int c = 0; c < CLIENTS.length; c++) {
            long ended = 0;
            long coarse = 0;
            for (Figures[][] table : List.of(longs, shorts)) {
                for (Figures[] round : table) {
                    ended += table == longs ? round[c].get("ended") : 0;
                    coarse += round[c].get("coarse");
                }
            }
            if (ended > 0 || coarse > 0) {
                notes.append(String.format(Locale.ROOT, "%n- %s: %d windows counted CPU in 10 ms ticks (threads ended "
                        + "inside them)%s", CLIENTS[c][0], coarse,
                        ended > 0 ? "; " + ended + " threads ended inside long-answer windows (their allocation "
                                + "is counted up to the sampler's last read, at most 5 ms before the end)" : ""));
            }
        }
        StringBuilder jit = new StringBuilder();
        for (int c = 0; c < CLIENTS.length; c++) {
            int k = c;
            jit.append(c == 0 ? "" : ", ").append(CLIENTS[c][0]).append(' ')
                    .append(cell(shorts, r -> 100.0 * r[k].get("jit") / Math.max(1, r[k].get("cpu")), 1)).append(" %");
        }
        out.println("CPU: the whole client JVM (GC included) minus its JIT compiler threads, from /proc/self/task; "
                + "allocation: per-thread allocated bytes, every thread read every 5 ms." + notes);
        // Near zero means the warm-up reached steady state: the JIT no longer competes with the burst.
        out.println("JIT compiler CPU during the bursts, as a share of the client's own: " + jit + ".");
    }

    private static void goals(PrintStream out, Plan plan, Figures[][] longs, Figures[][] shorts) {
        double chunks = (double) plan.longPieces * plan.longPerWindow;
        double vsLangChain = median(longs, r -> (double) r[HELIOS].get("cpu") / r[LANGCHAIN].get("cpu"));
        double vsOpenAi = median(longs, r -> (double) r[HELIOS].get("cpu") / r[OPENAI].get("cpu"));
        double bytes = median(longs, r -> r[HELIOS].get("alloc") / chunks);
        double rate = median(shorts, r -> perSecond(r[HELIOS], plan) / perSecond(r[BARE], plan));
        double threads = max(shorts, r -> (double) r[HELIOS].get("started") / plan.burst);
        double ttft = median(shorts, r -> (r[HELIOS].get("ttft") - r[BARE].get("ttft")) / 1e6);
        out.println();
        out.println("Goals (issue 16), helios4j, medians of the per-round ratios:");
        goal(out, vsLangChain <= 0.5, "CPU per chunk ≤ 0.5× LangChain4j's: %.2f×", vsLangChain);
        goal(out, vsOpenAi <= 1.0 / 3, "CPU per chunk ≤ 1/3 of openai-java's: %.2f×", vsOpenAi);
        goal(out, bytes <= 1_500, "≤ 1.5 KB allocated per chunk: %.0f bytes", bytes);
        goal(out, rate >= 0.9, "burst requests/s ≥ 0.9× bare JDK's: %.2f×", rate);
        goal(out, threads < 0.01, "threads started per request < 0.01: %.3f at most", threads);
        goal(out, ttft < 0.3, "first-piece overhead over bare JDK < 0.3 ms: %.3f ms", ttft);
    }

    private static void goal(PrintStream out, boolean met, String format, double value) {
        out.printf(Locale.ROOT, "- %s " + format + "%n", met ? "met:   " : "MISSED:", value);
    }

    private static double perSecond(Figures f, Plan plan) {
        return plan.burst / (f.get("wall") / 1e9);
    }

    private static double[] values(Figures[][] rounds, ToDoubleFunction<Figures[]> f) {
        return Arrays.stream(rounds).mapToDouble(f).sorted().toArray();
    }

    private static double median(Figures[][] rounds, ToDoubleFunction<Figures[]> f) {
        return median(values(rounds, f));
    }

    private static double max(Figures[][] rounds, ToDoubleFunction<Figures[]> f) {
        double[] v = values(rounds, f);
        return v[v.length - 1];
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String cell(Figures[][] rounds, ToDoubleFunction<Figures[]> f, int decimals) {
        double[] v = values(rounds, f);
        String format = "%,." + decimals + "f";
        return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median(v), v[0], v[v.length - 1]);
    }
}
