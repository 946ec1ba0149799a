package dev.helios4j.local.internal.engine;

import static dev.helios4j.local.internal.engine.ProcessMemory.mb;

import dev.helios4j.ChatRequest;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import dev.helios4j.local.bench.BenchMain;
import dev.helios4j.local.internal.gguf.DemoModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.Set;


/**
 * Memory of the caller and of its engine processes while the 134M-parameter F16 benchmark model is
 * opened, used and closed again and again with {@code llamacpp.keep-alive=0} (issue 10): the caller's
 * RSS before and after each open-close, the live engine processes while open and after close, and
 * the engine's own RSS and peak RSS (VmHWM) while loaded. Then, for contrast, the same model opened
 * in this JVM ({@code llamacpp.isolation=in-process}) from copies of the file, whose memory stays.
 * Prints one Markdown table; run by {@code providers-local/bench/memory.sh}.
 *
 * <p>Not a test (Surefire skips it by its name). Caller RSS is read after a full collection
 * (see {@link ProcessMemory#settled()}). Properties: {@code bench.opens} (4), {@code bench.inProcess}
 * (copies opened in this JVM, 2; 0 skips), {@code bench.big=FILE} (reuse a 134M model written before,
 * or write it there).
 */
public final class EngineMemoryBenchmark {
    private static final int OPENS = Integer.getInteger("bench.opens", 4);
    private static final int IN_PROCESS = Integer.getInteger("bench.inProcess", 2);
    private static final Duration PROCESS_DEADLINE = Duration.ofSeconds(60);
    private static final String PROMPT = "Once upon a time, in a small town by the sea, there lived an old sailor";
    private static final int TOKENS = 32;

    private final List<String> rows = new ArrayList<>();

    private EngineMemoryBenchmark() {
    }

    public static void main(String[] args) {
        BenchMain.run("helios4j-memory-bench-", dir -> new EngineMemoryBenchmark().run(dir));
    }

    private void run(Path dir) throws Exception {
        String given = System.getProperty("bench.big", "");
        Path model = given.isEmpty() ? dir.resolve("random-134m-f16.gguf") : Path.of(given);
        if (!Files.isRegularFile(model)) {
            long writing = System.nanoTime();
            DemoModels.writeRandom(model, DemoModels.RandomShape.benchmark());
            log("wrote the 134M model (%d MB) in %.1f s", mb(Files.size(model)), (System.nanoTime() - writing) / 1e9);
        }
        long modelBytes = Files.size(model);
        Settings base = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"))
                .with("cache-dir", dir.resolve("cache").toString());
        Settings engine = base.with("llamacpp.isolation", "process").with("llamacpp.keep-alive", "0");

        Set<Long> before = ProcessMemory.descendants();
        ProcessMemory first = ProcessMemory.settled();
        rows.add("| Round | Caller RSS before (MB) | Caller RSS after close (MB) | Change (MB) | Engine processes: "
                + "before / while open / after close | Engine RSS while loaded (MB) | Engine peak RSS (MB) "
                + "| Open (s) | Answer (s) | Close until gone (s) |");
        rows.add("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|");
        ProcessMemory start = null;
        for (int round = 0; round <= OPENS; round++) {
            ProcessMemory callerBefore = ProcessMemory.settled();
            if (round == 1) {
                start = callerBefore;
            }
            long t0 = System.nanoTime();
            LlmClient client = Llm.open("llamacpp:" + model, engine);
            long t1 = System.nanoTime();
            client.chat(ChatRequest.builder().user(PROMPT).temperature(0).maxTokens(TOKENS).build());
            long t2 = System.nanoTime();
            Set<Long> open = ProcessMemory.added(before);
            long engineRss = 0;
            long enginePeak = 0;
            for (long pid : open) {
                ProcessMemory m = ProcessMemory.of(pid);
                engineRss += m.total();
                enginePeak += m.peak();
            }
            int whileOpen = open.size();
            long t3 = System.nanoTime();
            client.close();
            ProcessMemory.awaitNoneBut(before, PROCESS_DEADLINE);
            long t4 = System.nanoTime();
            int after = ProcessMemory.descendants().size();
            ProcessMemory callerAfter = ProcessMemory.settled();
            String label = round == 0 ? "warm-up (class loading)" : "engine " + round;
            rows.add(String.format("| %s | %d | %d | %+d | %d / %d / %d | %d | %d | %.2f | %.2f | %.2f |", label,
                    mb(callerBefore.total()), mb(callerAfter.total()), mb(callerAfter.total() - callerBefore.total()),
                    before.size(), whileOpen, after, mb(engineRss), mb(enginePeak), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    (t4 - t3) / 1e9));
            log("%s: caller %s -> %s; engine pids %s, RSS %d MB, peak %d MB", label, callerBefore, callerAfter, open,
                    mb(engineRss), mb(enginePeak));
        }
        ProcessMemory end = ProcessMemory.settled();
        String engineSummary = String.format("Caller RSS over %d engine rounds (after the warm-up): %d MB -> %d MB "
                + "(%+d MB); at the very start %d MB.", OPENS, mb(start.total()), mb(end.total()),
                mb(end.total() - start.total()), mb(first.total()));

        Settings inProcess = base.with("llamacpp.isolation", "in-process");
        for (int i = 1; i <= IN_PROCESS; i++) {
            Path copy = Files.copy(model, dir.resolve("in-process-" + i + ".gguf"));
            ProcessMemory callerBefore = ProcessMemory.settled();
            long t0 = System.nanoTime();
            LlmClient client = Llm.open("llamacpp:" + copy, inProcess);
            long t1 = System.nanoTime();
            client.chat(ChatRequest.builder().user(PROMPT).temperature(0).maxTokens(TOKENS).build());
            long t2 = System.nanoTime();
            client.close();
            long t3 = System.nanoTime();
            int live = ProcessMemory.descendants().size();
            ProcessMemory callerAfter = ProcessMemory.settled();
            rows.add(String.format("| in-process %d (a copy of the file) | %d | %d | %+d | %d / %d / %d | - | - | %.2f "
                    + "| %.2f | %.2f |", i, mb(callerBefore.total()), mb(callerAfter.total()),
                    mb(callerAfter.total() - callerBefore.total()), before.size(), live, live,
                    (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9));
            log("in-process %d: caller %s -> %s", i, callerBefore, callerAfter);
        }

        System.out.println();
        System.out.printf("Memory through the engine process, 134M F16 model (%d MB), llamacpp.keep-alive=0, %d-token "
                + "answers; %d cores; `%s`%n%n", mb(modelBytes), TOKENS, Runtime.getRuntime().availableProcessors(),
                System.getProperty("bench.command", EngineMemoryBenchmark.class.getName()));
        rows.forEach(System.out::println);
        System.out.println();
        System.out.println(engineSummary);
    }

    private static void log(String format, Object... args) {
        System.err.printf("[memory bench] " + format + "%n", args);
    }
}
