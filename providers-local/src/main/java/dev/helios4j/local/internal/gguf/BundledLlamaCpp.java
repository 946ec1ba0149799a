package dev.helios4j.local.internal.gguf;

import dev.helios4j.InvalidModelException;
import dev.helios4j.InvalidRequestException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the llama.cpp bundled in de.kherud:llama:4.2.0 (build b4916, March 2025) can load, checked
 * in Java before any native call. That build aborts the whole process (a {@code GGML_ASSERT}, a
 * segfault or an uncaught C++ exception, which Java cannot catch) on some metadata that passes a
 * clean header check, and it answers "could not load model" for an architecture it does not know.
 * These checks turn both into exceptions that say what is wrong and what to do.
 *
 * <p>They describe b4916 only: a user's own, newer llama-server may load what is refused here, so
 * the caller skips them on that path.
 */
public final class BundledLlamaCpp {
    /** The llama.cpp build inside the binding. */
    public static final String BUILD = "b4916";
    /** The binding that carries it. */
    public static final String BINDING = "de.kherud:llama:4.2.0";

    /**
     * b4916's {@code LLM_ARCH_NAMES} (src/llama-arch.cpp at tag b4916, the {@code GIT_TAG} in
     * java-llama.cpp v4.2.0's CMakeLists.txt), in its order. Cross-checked against the strings of
     * the binding's libjllama.so (Linux x86_64), where the table lies in this order between
     * "token_embd.weight" and "(unknown)"; names that are the tail of another (mpt, bert, qwen2,
     * rwkv7) share that one's bytes there. Anything added later (qwen3, qwen3moe, llama4, gemma3n,
     * smollm3, gpt-oss, ...) is unknown to it.
     */
    static final List<String> ARCHITECTURES = List.of("llama", "deci", "falcon", "grok", "gpt2", "gptj",
            "gptneox", "mpt", "baichuan", "starcoder", "refact", "bert", "nomic-bert", "jina-bert-v2", "bloom",
            "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl", "phi2", "phi3", "phimoe", "plamo", "codeshell",
            "orion", "internlm2", "minicpm", "minicpm3", "gemma", "gemma2", "gemma3", "starcoder2", "mamba",
            "xverse", "command-r", "cohere2", "dbrx", "olmo", "olmo2", "olmoe", "openelm", "arctic", "deepseek",
            "deepseek2", "chatglm", "bitnet", "t5", "t5encoder", "jais", "nemotron", "exaone", "rwkv6",
            "rwkv6qwen2", "rwkv7", "arwkv7", "granite", "granitemoe", "chameleon", "wavtokenizer-dec");

    static final String WAYS_FORWARD = "run it with a current llama.cpp server, by setting "
            + "llamacpp.server=/path/to/llama-server (or llamacpp.server=auto for the llama-server on PATH), or serve "
            + "it with any OpenAI-compatible server (llama-server, Ollama, LM Studio, vLLM) and open it as "
            + "openai:MODEL with OPENAI_BASE_URL set to that server";

    private static final String TEMPLATE = "tokenizer.chat_template";
    private static final String TOOL_USE_TEMPLATE = "tokenizer.chat_template.tool_use";

    private BundledLlamaCpp() {
    }

    /**
     * Refuses a model file that the bundled llama.cpp does not know or would crash on.
     *
     * @param header the file's header, already read and checked by {@link GgufHeader#read}
     * @param fileTemplateUsed false when a chat-template setting replaces the file's templates
     *     (b4916 then never parses them, so a broken one does no harm)
     * @throws InvalidModelException naming the file, the key, what is wrong and what to do
     */
    public static void check(GgufHeader header, boolean fileTemplateUsed) {
        Objects.requireNonNull(header, "header");
        Optional<String> arch = header.architecture();
        if (arch.isEmpty()) {
            throw refuse(header, "general.architecture", "is missing, so no llama.cpp can tell what model this is",
                    "the file is damaged or incomplete; download or convert it again");
        }
        if (!ARCHITECTURES.contains(arch.get())) {
            throw new InvalidModelException(header.file() + " is a '" + arch.get() + "' model (general.architecture), "
                    + "an architecture that the llama.cpp bundled with helios4j (build " + BUILD + " of March 2025, in "
                    + BINDING + ") does not know. To use it, " + WAYS_FORWARD + ".");
        }
        VocabCheck.Problem vocab = VocabCheck.check(header);
        if (vocab != null) {
            throw refuse(header, vocab.key(), vocab.problem(), vocab.fix());
        }
        for (String suffix : List.of(".attention.layer_norm_rms_epsilon", ".attention.layer_norm_epsilon")) {
            String key = arch.get() + suffix;
            Object v = header.get(key).orElse(null);
            if (v instanceof Float || v instanceof Double) {
                double eps = ((Number) v).doubleValue();
                if (!(eps >= 0) || Double.isInfinite(eps)) {
                    throw refuse(header, key, "is " + v + "; a normalisation epsilon must be a finite number of at "
                            + "least 0 (llama.cpp b4916 aborts on a negative or NaN one, and an infinite one zeroes "
                            + "every activation)", "the file is damaged; download or convert it again");
                }
            }
        }
        if (fileTemplateUsed) {
            for (String key : List.of(TEMPLATE, TOOL_USE_TEMPLATE)) {
                Optional<String> template = header.getString(key);
                JinjaScan.Finding f = template.map(JinjaScan::scan).orElse(null);
                if (f != null && f.fatal()) {
                    throw refuse(header, key, f.problem(), "set llamacpp.chat-template to another template (for "
                            + "example chatml) to load the model with it instead");
                }
            }
        }
    }

    /**
     * Refuses a chat template setting that the bundled llama.cpp cannot use. b4916 checks the
     * setting while parsing its arguments by rendering one user message with it, and aborts the
     * process when that fails: with its Jinja engine when {@code jinja} is true (a template that
     * does not parse is silently replaced by ChatML there, one that raises aborts), otherwise by
     * matching its built-in names and markers (no match aborts). With Jinja on, a bare name is
     * rendered as literal text, so every prompt would be just that word and the answers empty.
     *
     * @param key the setting's key, for the message
     * @param template the setting's value; not null
     * @param jinja whether llama.cpp renders templates with its Jinja engine
     * @throws InvalidRequestException naming the key, what is wrong and what is accepted
     */
    public static void checkChatTemplateSetting(String key, String template, boolean jinja) {
        String accepted = " Accepted: a Jinja chat template (such as the one in a model's tokenizer_config.json), "
                + "or the name of a template built into llama.cpp " + BUILD + " (rendered without Jinja): "
                + String.join(", ", LegacyChatTemplates.NAMES) + ".";
        boolean looksLikeTemplate = template.contains("{{") || template.contains("{%");
        JinjaScan.Finding f = looksLikeTemplate ? JinjaScan.scan(template) : null;
        if (f != null && f.fatal()) {
            throw new InvalidRequestException("The setting " + key + " is a template that " + f.problem() + "."
                    + accepted);
        }
        if (!jinja) {
            if (!LegacyChatTemplates.known(template)) {
                throw new InvalidRequestException("The setting " + key + " is '" + shorten(template) + "', which the "
                        + "bundled llama.cpp " + BUILD + " does not recognise without Jinja (llamacpp.jinja=false): it "
                        + "is neither a built-in template name nor a template with the markers of one." + accepted);
            }
            return;
        }
        if (template.equals("chatml")) {
            return; // the one name b4916 understands with Jinja on
        }
        if (!looksLikeTemplate) {
            String why = LegacyChatTemplates.NAMES.contains(template)
                    ? "names a built-in template, which llama.cpp uses only without Jinja: also set "
                            + "llamacpp.jinja=false (or leave llamacpp.jinja unset), or give the Jinja template itself"
                    : "is neither a Jinja template nor a built-in template name, so llama.cpp would send this text "
                            + "as every prompt";
            throw new InvalidRequestException("The setting " + key + " is '" + shorten(template) + "', which " + why
                    + "." + accepted);
        }
        if (f != null) {
            String outcome = f.kind() == JinjaScan.Kind.RAISES
                    ? "it would abort the whole process with \"the supplied chat template is not supported\""
                    : "it would not parse it, and would use ChatML instead without a word";
            throw new InvalidRequestException("The setting " + key + " is a template that " + f.problem()
                    + ", so the bundled llama.cpp " + BUILD + " cannot use it (" + outcome + ")." + accepted);
        }
    }

    private static InvalidModelException refuse(GgufHeader header, String key, String problem, String fix) {
        return new InvalidModelException(header.file() + " cannot be loaded by the bundled llama.cpp " + BUILD + ": "
                + key + " " + problem + ". To fix: " + fix + ".");
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
