package dev.helios4j.local.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.helios4j.ChatMessage;
import dev.helios4j.ChatRequest;
import dev.helios4j.ChatResponse;
import dev.helios4j.Conversation;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import dev.helios4j.local.internal.gguf.DemoModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The llamacpp provider against the raw binding, on the tiny demo model and on a 134M-parameter
 * random-weight F16 model: generation speed and time to first token through
 * {@link LlmClient#stream} and through {@link LlamaModel#generate}'s iterator, 1 against 2
 * threads, and a 10-turn conversation with the prompt cache (helios4j) against the
 * stateless approach: the whole history from position 0 every turn, nothing cached. Prints one Markdown table.
 *
 * <p>Not a test (Surefire skips it by its name): run {@code providers-local/bench/run.sh}. It
 * takes about three minutes on 2 vCPUs. {@code -Dbench.quick=true} runs a few repetitions only,
 * to check that it works. A main that loaded a model must {@code System.exit}: the binding's
 * native worker thread is not a daemon.
 *
 * <p>Fairness: both sides use the same file, context size, threads (generation and batch), one
 * slot, the same prompt text (a template override passes the user message through raw), the
 * same {@code nPredict}, greedy decoding and {@code cachePrompt(true)}, and each side's loop
 * stops the same way. Repetitions are interleaved (the order rotates every repetition) and
 * medians are reported, so noise from other work on the machine hits every side alike.
 */
public final class LocalProviderBenchmark {
    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    /** Passes the last message through unchanged: the provider's prompt equals the raw prompt. */
    private static final String RAW_TEMPLATE =
            "{% for m in messages %}{% if loop.last %}{{ m['content'] }}{% endif %}{% endfor %}";

    private static final int TINY_TOKENS = 2000;
    private static final int TINY_WARMUP = QUICK ? 1 : 3;
    private static final int TINY_REPS = QUICK ? 1 : 9;
    private static final int BIG_TOKENS = 128;
    private static final int BIG_WARMUP = 1;
    private static final int BIG_REPS = QUICK ? 1 : 7;
    private static final int PROMPT_TOKENS = 384;
    private static final int PROMPT_REPS = QUICK ? 1 : 3;
    private static final int TURNS = QUICK ? 3 : 10;
    private static final int ROUNDS = QUICK ? 1 : 3;
    private static final int USER_TOKENS = 130;
    private static final int ANSWER_TOKENS = 12;
    private static final String BIG_PROMPT = "Once upon a time, in a small town by the sea, there lived an old "
            + "sailor who told the children stories about the storms he had seen and the ships he had lost.";
    private static final List<String> WORDS = List.of("the", "model", "answer", "question", "token", "cache",
            "prompt", "history", "turn", "java", "notebook", "kernel", "thread", "memory", "context", "window",
            "please", "explain", "why", "how", "when", "what", "which", "small", "large", "fast", "slow", "again",
            "because", "with", "without", "every", "first", "last", "next", "story", "sea", "ship", "storm", "light");

    private final int cores = Runtime.getRuntime().availableProcessors();
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> turnRows = new ArrayList<>();
    private Settings base;

    private LocalProviderBenchmark() {
    }

    public static void main(String[] args) {
        BenchMain.run("helios4j-bench-", dir -> new LocalProviderBenchmark().run(dir));
    }

    private void run(Path dir) throws IOException {
        String loadBefore = loadAverage();
        long started = System.nanoTime();
        base = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home")).with("cache-dir",
                dir.resolve("cache").toString());
        Path tiny = DemoModels.writeDemo(dir.resolve("demo.gguf"));
        long writing = System.nanoTime();
        Path big = DemoModels.writeRandom(dir.resolve("random-134m-f16.gguf"), DemoModels.RandomShape.benchmark());
        log("wrote the 134M model (%d MB) in %.1f s", Files.size(big) >> 20, (System.nanoTime() - writing) / 1e9);

        // A private native directory before any raw load (the helios4j client may run its model in an
        // engine process and load nothing here): left alone, the binding's loader clears other
        // JVMs' copies out of java.io.tmpdir and prints a line to stdout.
        dev.helios4j.local.internal.NativeLibrary.prepare();
        LlmClient tinyHelios = open(tiny, true);
        int tinyContext = tinyHelios.contextLength().orElseThrow();
        LlamaModel tinyRaw1 = loadRaw(tiny, tinyContext, 1, cores);
        LlamaModel tinyRaw2 = loadRaw(tiny, tinyContext, 2, cores);
        speed("Tiny demo (" + (Files.size(tiny) >> 10) + " kB)", tinyHelios, tinyRaw1, tinyRaw2, "Loop", TINY_TOKENS,
                TINY_WARMUP, TINY_REPS);

        LlmClient bigHelios = open(big, true);
        int bigContext = bigHelios.contextLength().orElseThrow();
        LlamaModel bigRaw1 = loadRaw(big, bigContext, 1, cores);
        LlamaModel bigRaw2 = loadRaw(big, bigContext, 2, cores);
        speed("134M F16", bigHelios, bigRaw1, bigRaw2, BIG_PROMPT, BIG_TOKENS, BIG_WARMUP, BIG_REPS);

        LlamaModel bigBatch1 = loadRaw(big, bigContext, 1, 1);
        promptSpeed(bigBatch1, bigRaw1);

        LlmClient chat = open(big, false); // the file's own ChatML template
        LlamaModel bigRawCached = loadRaw(big, bigContext, 1, cores);
        conversation(chat, bigRaw1, bigRawCached);

        print(loadBefore, (System.nanoTime() - started) / 1e9);
    }

    // ---------------------------------------------------------------- generation speed

    private void speed(String label, LlmClient helios, LlamaModel raw1, LlamaModel raw2, String prompt, int tokens,
                       int warmup, int reps) {
        log("%s: %d warm-up and %d measured repetitions of %d tokens", label, warmup, reps, tokens);
        List<Run> raws = new ArrayList<>();
        List<Run> helioses = new ArrayList<>();
        List<Run> twos = new ArrayList<>();
        List<Run> sames = new ArrayList<>();
        LlamaModel same = sharedInstance(helios);
        int sides = same == null ? 3 : 4;
        String rawText = null;
        String heliosText = null;
        for (int i = 0; i < warmup + reps; i++) {
            for (int k = 0; k < sides; k++) {
                switch ((i + k) % sides) { // rotate the order so no side always runs first
                    case 0 -> {
                        Run r = raw(raw1, prompt, tokens, true);
                        rawText = r.text;
                        if (i >= warmup) {
                            raws.add(r);
                        }
                    }
                    case 1 -> {
                        Run r = helios(helios, prompt, tokens);
                        heliosText = r.text;
                        if (i >= warmup) {
                            helioses.add(r);
                        }
                    }
                    case 2 -> {
                        Run r = raw(raw2, prompt, tokens, true);
                        if (i >= warmup) {
                            twos.add(r);
                        }
                    }
                    default -> {
                        Run r = raw(same, prompt, tokens, true);
                        if (i >= warmup) {
                            sames.add(r);
                        }
                    }
                }
            }
        }
        int produced = raws.get(0).tokens;
        String what = label + ", " + produced + " tokens, 1 thread";
        int counted = helioses.get(0).tokens;
        if (!rawText.equals(heliosText)) {
            notes.add("WARNING " + label + ": helios4j and the binding did not produce the same answer.");
        } else {
            // Same greedy answer, so the same tokens were generated: rate both sides on the binding's
            // count (helios4j's Usage re-encodes the text, which may merge pieces).
            helioses.replaceAll(r -> new Run(r.start, r.first, r.last, r.end, r.cpu, produced, r.text));
            if (counted != produced) {
                notes.add(label + ": helios4j's Usage reports " + counted + " completion tokens for the "
                        + produced + " tokens generated (it re-encodes the answer text).");
            }
        }
        if (label.startsWith("Tiny") && !rawText.equals(DemoModels.loopAnswer(tokens))) {
            notes.add("WARNING " + label + ": the demo model did not give the designed loop answer.");
        }
        if (produced < tokens) {
            notes.add(label + ": generation ended after " + produced + " of " + tokens + " tokens (end of sequence).");
        }
        double rawDecode = median(raws, Run::decodeRate);
        double heliosDecode = median(helioses, Run::decodeRate);
        row(what + ": generation tok/s, first to last token (A raw `generate()`, B helios4j `stream`)",
                rawDecode, heliosDecode, "≥ 0.97", 0);
        if (!sames.isEmpty()) {
            row(what + ": the same, control on one native instance (A raw `generate()` on the very `LlamaModel` "
                    + "helios4j loaded, B helios4j)", median(sames, Run::decodeRate), heliosDecode,
                    "≥ 0.97", 0);
        }
        row(what + ": end-to-end tok/s, call to return (A raw, B helios4j)",
                median(raws, Run::overallRate), median(helioses, Run::overallRate), "≥ 0.97", 0);
        row(what + ": tokens per second of process CPU time, call to return (A raw, B helios4j; "
                + "insensitive to other load)", median(raws, Run::cpuRate), median(helioses, Run::cpuRate), "≥ 0.97", 0);
        double rawFirst = median(raws, Run::firstMs);
        double heliosFirst = median(helioses, Run::firstMs);
        row(what + ": time to first token, ms (A raw, B helios4j; time, lower is better)", rawFirst, heliosFirst,
                String.format(Locale.ROOT, "B − A = %+.2f ms", heliosFirst - rawFirst), 2);
        double twoDecode = median(twos, Run::decodeRate);
        row(label + ", raw binding: generation tok/s (A 1 thread, B 2 threads; " + cores + " batch threads)",
                rawDecode, twoDecode, "default " + Math.max(1, cores / 2) + " thread(s): "
                        + (rawDecode >= twoDecode ? "right, 1 is faster" : "wrong, 2 are faster"), 0);
        notes.add(String.format(Locale.ROOT, "%s: helios4j's cost per generated token over the binding (1/B − 1/A "
                        + "of the generation rates): %+.1f µs against a raw instance of its own, %+.1f µs on the same "
                        + "instance; CPU time per request %+.2f ms; end to end %+.2f ms per request; time to first "
                        + "token on the same instance: raw %.2f ms, helios4j %.2f ms.", label,
                1e6 / heliosDecode - 1e6 / rawDecode,
                sames.isEmpty() ? Double.NaN : 1e6 / heliosDecode - 1e6 / median(sames, Run::decodeRate),
                median(helioses, Run::cpuMs) - median(raws, Run::cpuMs),
                median(helioses, Run::totalMs) - median(raws, Run::totalMs),
                sames.isEmpty() ? Double.NaN : median(sames, Run::firstMs), heliosFirst));
        if (same != null) {
            overheads(label, same, "{\"messages\":[{\"role\":\"user\",\"content\":" + quote(prompt) + "}]}", prompt,
                    rawText);
        }
    }

    /** Times the native calls helios4j adds around a generation: rendering and three encodes. */
    private void overheads(String label, LlamaModel model, String messagesJson, String prompt, String answer) {
        List<Double> render = new ArrayList<>();
        List<Double> encode = new ArrayList<>();
        List<Double> encodeAll = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            long t0 = System.nanoTime();
            model.applyTemplate(messagesJson);
            long t1 = System.nanoTime();
            model.encode(prompt);
            long t2 = System.nanoTime();
            model.encode(prompt + answer);
            long t3 = System.nanoTime();
            if (i >= 2) {
                render.add((t1 - t0) / 1e6);
                encode.add((t2 - t1) / 1e6);
                encodeAll.add((t3 - t2) / 1e6);
            }
        }
        notes.add(String.format(Locale.ROOT, "%s: native calls helios4j adds per request (median of 7): "
                        + "applyTemplate %.3f ms and encode(prompt) %.3f ms before the first token (prompt %d tokens); "
                        + "encode(prompt + answer) %.3f ms and encode(prompt) again after the last (answer %d chars).",
                label, median(render), median(encode), model.encode(prompt).length, median(encodeAll),
                answer.length()));
    }

    private static String quote(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Prompt processing with 1 and 2 batch threads: a prompt not in the cache, one token generated. */
    private void promptSpeed(LlamaModel batch1, LlamaModel batch2) {
        StringBuilder text = new StringBuilder();
        Random random = new Random(7);
        while (batch1.encode(text.toString()).length < PROMPT_TOKENS) {
            text.append(WORDS.get(random.nextInt(WORDS.size()))).append(' ');
        }
        int promptTokens = batch1.encode(text.toString()).length + 1;
        log("134M F16: prompt processing of %d tokens, %d repetitions", promptTokens, PROMPT_REPS);
        List<Double> ones = new ArrayList<>();
        List<Double> twos = new ArrayList<>();
        raw(batch1, "warm up", 1, false);
        raw(batch2, "warm up", 1, false);
        for (int i = 0; i < PROMPT_REPS; i++) {
            boolean oneFirst = i % 2 == 0;
            for (int k = 0; k < 2; k++) {
                boolean one = (k == 0) == oneFirst;
                Run r = raw(one ? batch1 : batch2, text.toString(), 1, false);
                (one ? ones : twos).add(promptTokens / (r.firstMs() / 1e3));
            }
        }
        double a = median(ones);
        double b = median(twos);
        row("134M F16, " + promptTokens + "-token prompt, raw binding: prompt tok/s (A 1 batch thread, B 2; "
                + "1 generation thread)", a, b, "default = " + cores + (b >= a ? ": right" : ": wrong"), 0);
    }

    // ---------------------------------------------------------------- conversation growth

    private void conversation(LlmClient chat, LlamaModel raw, LlamaModel rawCached) {
        log("134M F16: %d rounds of a %d-turn conversation; the stateless approach (whole history, nothing cached) in round 1", ROUNDS, TURNS);
        double[][] heliosMs = new double[ROUNDS][TURNS];
        double[] statelessMs = new double[TURNS];
        double[][] cachedMs = new double[ROUNDS][TURNS];
        double[][] heliosCpu = new double[ROUNDS][TURNS];
        double[][] cachedCpu = new double[ROUNDS][TURNS];
        List<ChatMessage> lastPrompt = List.of();
        String lastAnswer = "";
        int[] promptTokens = new int[TURNS];
        int[] statelessTokens = new int[TURNS];
        int finalHistory = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Random random = new Random(100 + round);
            String system = "Session " + (round + 1) + ". You are a helpful assistant; answer briefly.";
            Conversation c = chat.conversation(system).configure(b -> b.temperature(0).maxTokens(ANSWER_TOKENS));
            for (int turn = 0; turn < TURNS; turn++) {
                String user = userText(raw, random);
                List<ChatMessage> messages = new ArrayList<>(c.messages());
                messages.add(ChatMessage.user(user));
                String prompt = chatMl(messages);
                // The stateless approach: the whole history, from position 0, in a context that keeps nothing.
                if (round == 0) {
                    statelessTokens[turn] = raw.encode(prompt).length + 1;
                    statelessMs[turn] = raw(raw, prompt, ANSWER_TOKENS, false).totalMs();
                }
                // The binding with its prompt cache, on an instance of its own: what helios4j can reach.
                Run cached = raw(rawCached, prompt, ANSWER_TOKENS, true);
                cachedMs[round][turn] = cached.totalMs();
                cachedCpu[round][turn] = cached.cpuMs();
                long cpu = cpuNanos();
                long t0 = System.nanoTime();
                ChatResponse r = c.stream(user, piece -> { });
                heliosMs[round][turn] = (System.nanoTime() - t0) / 1e6;
                heliosCpu[round][turn] = (cpuNanos() - cpu) / 1e6;
                lastPrompt = messages;
                lastAnswer = r.text();
                if (round == 0) {
                    promptTokens[turn] = r.usage().promptTokens();
                }
            }
            finalHistory = chat.countTokens(c.messages()).orElse(-1);
        }
        double[] heliosMedian = new double[TURNS];
        double[] cachedMedian = new double[TURNS];
        double[] heliosCpuMedian = new double[TURNS];
        double[] cachedCpuMedian = new double[TURNS];
        for (int turn = 0; turn < TURNS; turn++) {
            heliosMedian[turn] = median(column(heliosMs, turn));
            cachedMedian[turn] = median(column(cachedMs, turn));
            heliosCpuMedian[turn] = median(column(heliosCpu, turn));
            cachedCpuMedian[turn] = median(column(cachedCpu, turn));
            turnRows.add(String.format(Locale.ROOT, "| %d | %d | %.0f (%s) | %.0f | %.0f (%s) | %.0f | %.0f |",
                    turn + 1, promptTokens[turn], heliosMedian[turn], rounded(column(heliosMs, turn)),
                    heliosCpuMedian[turn], cachedMedian[turn], rounded(column(cachedMs, turn)), cachedCpuMedian[turn],
                    statelessMs[turn]));
            if (Math.abs(statelessTokens[turn] - promptTokens[turn]) > 1) {
                notes.add("WARNING turn " + (turn + 1) + ": the stateless prompt has " + statelessTokens[turn]
                        + " tokens, helios4j's " + promptTokens[turn] + ".");
            }
        }
        int last = TURNS - 1;
        String growth = "prompt " + promptTokens[0] + " → " + promptTokens[last] + " tokens, history after turn "
                + TURNS + ": " + finalHistory + " tokens";
        row("Conversation, 134M F16, 1 thread, " + growth + ", helios4j (prompt cache): turn latency ms "
                + "(A turn 1, B turn " + TURNS + "; median of " + ROUNDS + " rounds)", heliosMedian[0],
                heliosMedian[last], "B / A ≤ 1.3", 2);
        row("The same, helios4j, in process CPU ms (A turn 1, B turn " + TURNS + "; insensitive to other load)",
                heliosCpuMedian[0], heliosCpuMedian[last], "B / A ≤ 1.3", 2);
        row("Same conversation, raw binding with `cachePrompt(true)` on its own instance: turn latency ms "
                + "(A turn 1, B turn " + TURNS + "; median of " + ROUNDS + " rounds)", cachedMedian[0], cachedMedian[last],
                "for comparison", 2);
        row("Same conversation, the stateless approach (whole history every turn, `cachePrompt(false)`): "
                + "turn latency ms (A turn 1, B turn " + TURNS + ")", statelessMs[0], statelessMs[last], "for comparison", 2);
        row("Turn " + TURNS + " latency ms (A stateless, whole history; B helios4j)", statelessMs[last], heliosMedian[last],
                String.format(Locale.ROOT, "helios4j %.1fx faster", statelessMs[last] / heliosMedian[last]), 2);
        StringBuilder json = new StringBuilder("{\"messages\":[");
        for (ChatMessage m : lastPrompt) {
            json.append(json.length() > 13 ? "," : "").append("{\"role\":\"").append(m.role().wireName())
                    .append("\",\"content\":").append(quote(m.content())).append('}');
        }
        LlamaModel chatModel = sharedInstance(chat);
        if (chatModel != null) {
            overheads("Conversation turn " + TURNS, chatModel, json.append("]}").toString(), chatMl(lastPrompt),
                    lastAnswer);
        }
    }

    private static List<Double> column(double[][] m, int col) {
        List<Double> out = new ArrayList<>();
        for (double[] row : m) {
            out.add(row[col]);
        }
        return out;
    }

    private static String rounded(List<Double> xs) {
        return xs.stream().map(x -> String.valueOf(Math.round(x))).collect(java.util.stream.Collectors.joining(", "));
    }

    /** About {@value #USER_TOKENS} tokens of words. */
    private static String userText(LlamaModel model, Random random) {
        StringBuilder text = new StringBuilder("Question:");
        while (model.encode(text.toString()).length < USER_TOKENS) {
            text.append(' ').append(WORDS.get(random.nextInt(WORDS.size())));
        }
        return text.append('?').toString();
    }

    /** The demo vocabulary's ChatML template, as the file's {@code tokenizer.chat_template} renders it. */
    private static String chatMl(List<ChatMessage> messages) {
        StringBuilder b = new StringBuilder();
        for (ChatMessage m : messages) {
            b.append("<|im_start|>").append(m.role().wireName()).append('\n').append(m.content()).append("<|im_end|>\n");
        }
        return b.append("<|im_start|>assistant\n").toString();
    }

    // ---------------------------------------------------------------- one request

    /** One request's timings, all from the same clock, measured by the caller. */
    private record Run(long start, long first, long last, long end, long cpu, int tokens, String text) {
        double firstMs() {
            return (first - start) / 1e6;
        }

        double totalMs() {
            return (end - start) / 1e6;
        }

        /** Tokens after the first over the time between the first and the last piece. */
        double decodeRate() {
            return (tokens - 1) / ((last - first) / 1e9);
        }

        double overallRate() {
            return tokens / ((end - start) / 1e9);
        }

        double cpuMs() {
            return cpu / 1e6;
        }

        double cpuRate() {
            return tokens / (cpu / 1e9);
        }
    }

    private static Run raw(LlamaModel model, String prompt, int nPredict, boolean cachePrompt) {
        InferenceParameters p = new InferenceParameters(prompt).setNPredict(nPredict).setTemperature(0f)
                .setCachePrompt(cachePrompt);
        StringBuilder text = new StringBuilder();
        long first = 0;
        long last = 0;
        int tokens = 0;
        long cpu = cpuNanos();
        long start = System.nanoTime();
        LlamaIterator it = model.generate(p).iterator();
        try {
            while (it.hasNext()) {
                LlamaOutput out = it.next();
                if (it.hasNext()) {
                    tokens++; // the final message carries no token of its own
                }
                if (!out.text.isEmpty()) {
                    last = System.nanoTime();
                    if (first == 0) {
                        first = last;
                    }
                    text.append(out.text);
                }
            }
        } finally {
            if (it.hasNext()) {
                it.cancel(); // otherwise the slot keeps generating until nPredict
            }
        }
        long end = System.nanoTime();
        cpu = cpuNanos() - cpu;
        return new Run(start, first, last, end, cpu, tokens, text.toString());
    }

    private static Run helios(LlmClient client, String prompt, int maxTokens) {
        ChatRequest request = ChatRequest.builder().user(prompt).temperature(0).maxTokens(maxTokens).build();
        long[] times = new long[2];
        long cpu = cpuNanos();
        long start = System.nanoTime();
        ChatResponse r = client.stream(request, piece -> {
            times[1] = System.nanoTime();
            if (times[0] == 0) {
                times[0] = times[1];
            }
        });
        long end = System.nanoTime();
        cpu = cpuNanos() - cpu;
        return new Run(start, times[0], times[1], end, cpu, r.usage().completionTokens(), r.text());
    }

    /**
     * CPU time of every thread of this process, native ones included, in nanoseconds (the sum of
     * /proc/self/task/N/schedstat; getProcessCpuTime counts in 10 ms ticks here). About 0.3 ms a
     * call, outside the timed interval. -1 where /proc is missing.
     */
    private static long cpuNanos() {
        long sum = 0;
        try (java.nio.file.DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("schedstat"));
                    sum += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }

    // ---------------------------------------------------------------- models

    /**
     * The {@code LlamaModel} a helios4j client runs on, reached by reflection (LlmClient.engine,
     * LlamaEngine.model, LoadedModel.llama): a control that runs the raw binding on the very same
     * native instance, so a difference between two loaded instances cannot pass for helios4j's
     * cost. Null, and the control is skipped, if the fields have other names.
     */
    private static LlamaModel sharedInstance(LlmClient client) {
        try {
            Object engine = field(client, "engine");
            Object loaded = field(engine, "model");
            return (LlamaModel) field(loaded, "llama");
        } catch (ReflectiveOperationException | RuntimeException e) {
            log("no same-instance control: %s", e);
            return null;
        }
    }

    private static Object field(Object target, String name) throws ReflectiveOperationException {
        java.lang.reflect.Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }

    private LlmClient open(Path file, boolean rawTemplate) {
        // The engine process by default, as users get it; -Dbench.isolation=in-process for the old path.
        Settings s = base.with("llamacpp.threads", "1")
                .with("llamacpp.isolation", System.getProperty("bench.isolation", "process"));
        if (rawTemplate) {
            s = s.with("llamacpp.chat-template", RAW_TEMPLATE);
        }
        return Llm.open("llamacpp:" + file, s);
    }

    /** The raw binding, set up as the provider sets itself up (minus the template, unused here). */
    private static LlamaModel loadRaw(Path file, int context, int threads, int batchThreads) {
        return new LlamaModel(new ModelParameters()
                .setModel(file.toString())
                .setCtxSize(context)
                .setThreads(threads)
                .setThreadsBatch(batchThreads)
                .setParallel(1)
                .disableLog());
    }

    // ---------------------------------------------------------------- output

    private void row(String what, double a, double b, String target, int decimals) {
        String format = "%,." + decimals + "f";
        rows.add(new String[] {what, String.format(Locale.ROOT, format, a), String.format(Locale.ROOT, format, b),
                String.format(Locale.ROOT, "%.3f", b / a), target});
    }

    private void print(String loadBefore, double seconds) {
        StringBuilder out = new StringBuilder("\n");
        out.append("| Measurement | A | B | B / A | Target / verdict |\n|---|---:|---:|---:|---|\n");
        for (String[] r : rows) {
            out.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        out.append("\nConversation turns (prompt tokens of round 1; median and each round; the stateless "
                + "approach in round 1 only):\n\n");
        out.append("| Turn | Prompt tokens | helios4j ms (rounds) | helios4j CPU ms | raw cached ms (rounds) "
                + "| raw cached CPU ms | stateless ms |\n|---:|---:|---|---:|---|---:|---:|\n");
        turnRows.forEach(r -> out.append(r).append('\n'));
        out.append('\n');
        notes.forEach(n -> out.append("- ").append(n).append('\n'));
        out.append(String.format(Locale.ROOT, "%nMachine: %s, nproc %d, %s; Java %s (%s); java-llama.cpp 4.2.0, CPU. "
                        + "Load average before: %s, after: %s. Wall time %.0f s.%s%n",
                cpu(), cores, System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"), loadBefore,
                loadAverage(), seconds, QUICK ? " QUICK MODE: too few repetitions to quote." : ""));
        out.append("Command: ").append(System.getProperty("bench.command", "java ... " + LocalProviderBenchmark.class
                .getName())).append('\n');
        System.out.print(out);
    }

    private static String cpu() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.replaceFirst(".*:\\s*", ""))
                    .orElse("unknown CPU");
        } catch (IOException | RuntimeException e) {
            return "unknown CPU";
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[bench] " + format + "%n", args);
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        List<Double> xs = new ArrayList<>();
        runs.forEach(r -> xs.add(f.applyAsDouble(r)));
        return median(xs);
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }
}
