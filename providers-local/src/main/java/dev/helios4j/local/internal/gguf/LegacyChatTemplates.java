package dev.helios4j.local.internal.gguf;

import java.util.List;

/**
 * How llama.cpp b4916 picks a chat format without its Jinja engine ({@code llm_chat_detect_template}
 * in src/llama-chat.cpp at that build): by name, or by looking for marker strings in the template.
 * A template that matches neither is "not supported", which b4916 turns into an abort when it comes
 * from a setting. The names and markers below are those of b4916; each was checked to be present in
 * the native library that de.kherud:llama:4.2.0 ships, and later additions (llama4, yandex,
 * bailing, smolvlm, ...) to be absent.
 */
final class LegacyChatTemplates {
    /** b4916's {@code LLM_CHAT_TEMPLATES} names, in its order. */
    static final List<String> NAMES = List.of("chatml", "llama2", "llama2-sys", "llama2-sys-bos",
            "llama2-sys-strip", "mistral-v1", "mistral-v3", "mistral-v3-tekken", "mistral-v7", "phi3", "phi4",
            "falcon3", "zephyr", "monarch", "gemma", "orion", "openchat", "vicuna", "vicuna-orca", "deepseek",
            "deepseek2", "deepseek3", "command-r", "llama3", "chatglm3", "chatglm4", "glmedge", "minicpm",
            "exaone3", "rwkv-world", "granite", "gigachat", "megrez");

    private LegacyChatTemplates() {
    }

    /** True when b4916 renders {@code template} (a name or a template's text) without Jinja. */
    static boolean known(String t) {
        return NAMES.contains(t)
                || has(t, "<|im_start|>")
                || t.startsWith("mistral") || has(t, "[INST]")
                || has(t, "<|assistant|>") && (has(t, "<|end|>") || has(t, "<|user|>"))
                || has(t, "[gMASK]<sop>") || has(t, "[gMASK]sop")
                || has(t, "<|user|>") && has(t, "<|endoftext|>")
                || has(t, "bos_token + message['role']")
                || has(t, "<start_of_turn>")
                || has(t, "'\\n\\nAssistant: ' + eos_token")
                || has(t, "GPT4 Correct ")
                || has(t, "USER: ") && has(t, "ASSISTANT: ")
                || has(t, "### Instruction:") && has(t, "<|EOT|>")
                || has(t, "<|START_OF_TURN_TOKEN|>") && has(t, "<|USER_TOKEN|>")
                || has(t, "<|start_header_id|>") && has(t, "<|end_header_id|>")
                || has(t, "<用户>")
                || has(t, "'Assistant: ' + message['content'] + eos_token")
                || has(t, "<｜Assistant｜>") && has(t, "<｜User｜>") && has(t, "<｜end▁of▁sentence｜>")
                || has(t, "[|system|]") && has(t, "[|assistant|]") && has(t, "[|endofturn|]")
                || has(t, "rwkv-world")
                || has(t, "<|start_of_role|>")
                || has(t, "message['role'] + additional_special_tokens[0] + message['content'] + additional_special_tokens[1]")
                || has(t, "<|role_start|>");
    }

    private static boolean has(String t, String marker) {
        return t.contains(marker);
    }
}
