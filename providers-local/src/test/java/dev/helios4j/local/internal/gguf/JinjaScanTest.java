package dev.helios4j.local.internal.gguf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The template scan, on templates shaped like real models' (which must pass) and on the ones that
 * crashed, hung or silently failed b4916 (each bound is measured in JinjaScan's comments). No
 * native code here: the end-to-end refusals are in KnownCrashFilesTest.
 */
class JinjaScanTest {

    /** Shaped like Llama 3.1's: tool lists, a namespace-free system message split, tojson, raise in a branch. */
    static final String LLAMA3_LIKE = """
            {{- bos_token }}
            {%- if custom_tools is defined %}
                {%- set tools = custom_tools %}
            {%- endif %}
            {%- if not tools_in_user_message is defined %}
                {%- set tools_in_user_message = true %}
            {%- endif %}
            {%- if not date_string is defined %}
                {%- set date_string = "26 Jul 2024" %}
            {%- endif %}
            {#- Pull the system message out of the messages, if there is one #}
            {%- if messages[0]['role'] == 'system' %}
                {%- set system_message = messages[0]['content']|trim %}
                {%- set messages = messages[1:] %}
            {%- else %}
                {%- set system_message = "" %}
            {%- endif %}
            {{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
            {{- "Today Date: " + date_string + "\\n\\n" }}
            {{- system_message }}
            {{- "<|eot_id|>" }}
            {%- if tools_in_user_message and not tools is none %}
                {%- if messages | length != 0 %}
                    {%- set first_user_message = messages[0]['content']|trim %}
                    {%- set messages = messages[1:] %}
                {%- else %}
                    {{- raise_exception("Cannot put tools in the first user message when there's no first user message!") }}
                {%- endif %}
                {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}
                {%- for t in tools %}
                    {{- t | tojson(indent=4) }}
                    {{- "\\n\\n" }}
                {%- endfor %}
                {{- first_user_message + "<|eot_id|>"}}
            {%- endif %}
            {%- for message in messages %}
                {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
                    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
                {%- elif 'tool_calls' in message %}
                    {%- if not message.tool_calls|length == 1 %}
                        {{- raise_exception("This model only supports single tool-calls at once!") }}
                    {%- endif %}
                    {%- set tool_call = message.tool_calls[0].function %}
                    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
                    {{- '{"name": "' + tool_call.name + '", ' }}
                    {{- '"parameters": ' }}
                    {{- tool_call.arguments | tojson }}
                    {{- "}" }}
                    {{- "<|eot_id|>" }}
                {%- elif message.role == "tool" or message.role == "ipython" %}
                    {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}
                    {%- if message.content is mapping or message.content is iterable %}
                        {{- message.content | tojson }}
                    {%- else %}
                        {{- message.content }}
                    {%- endif %}
                    {{- "<|eot_id|>" }}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
            {%- endif %}
            """;

    /** Shaped like Qwen2.5's: tools in the system turn, tool calls, grouped tool responses with loop lookups. */
    static final String QWEN2_LIKE = """
            {%- if tools %}
                {{- '<|im_start|>system\\n' }}
                {%- if messages[0]['role'] == 'system' %}
                    {{- messages[0]['content'] }}
                {%- else %}
                    {{- 'You are a helpful assistant.' }}
                {%- endif %}
                {{- "\\n\\n# Tools\\n\\n<tools>" }}
                {%- for tool in tools %}
                    {{- "\\n" }}
                    {{- tool | tojson }}
                {%- endfor %}
                {{- "\\n</tools>\\n\\nFor each function call, return a json object:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
            {%- else %}
                {%- if messages[0]['role'] == 'system' %}
                    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
                {%- else %}
                    {{- '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}
                {%- endif %}
            {%- endif %}
            {%- for message in messages %}
                {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
                    {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
                {%- elif message.role == "assistant" %}
                    {{- '<|im_start|>' + message.role }}
                    {%- if message.content %}
                        {{- '\\n' + message.content }}
                    {%- endif %}
                    {%- for tool_call in message.tool_calls %}
                        {%- if tool_call.function is defined %}
                            {%- set tool_call = tool_call.function %}
                        {%- endif %}
                        {{- '\\n<tool_call>\\n{"name": "' }}
                        {{- tool_call.name }}
                        {{- '", "arguments": ' }}
                        {{- tool_call.arguments | tojson }}
                        {{- '}\\n</tool_call>' }}
                    {%- endfor %}
                    {{- '<|im_end|>\\n' }}
                {%- elif message.role == "tool" %}
                    {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
                        {{- '<|im_start|>user' }}
                    {%- endif %}
                    {{- '\\n<tool_response>\\n' }}
                    {{- message.content }}
                    {{- '\\n</tool_response>' }}
                    {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
                        {{- '<|im_end|>\\n' }}
                    {%- endif %}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    /** Shaped like Mistral's and Gemma's: alternation enforced with raise_exception in a branch, a macro, a namespace. */
    static final String MISTRAL_LIKE = """
            {%- macro render(role, text) -%}{{ '[INST] ' if role == 'user' else '' }}{{ text | trim }}{{ ' [/INST]' if role == 'user' else eos_token }}{%- endmacro -%}
            {%- set ns = namespace(system='') -%}
            {%- if messages[0]['role'] == 'system' -%}{%- set ns.system = messages[0]['content'] + '\\n\\n' -%}{%- set loop_messages = messages[1:] -%}
            {%- else -%}{%- set loop_messages = messages -%}{%- endif -%}
            {{- bos_token -}}
            {%- for message in loop_messages -%}
                {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
                    {{- raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') -}}
                {%- endif -%}
                {{- render(message['role'], (ns.system if loop.first else '') + message['content']) -}}
            {%- endfor -%}
            """;

    /** Shaped like DeepSeek-R1's: reasoning split off with string methods, a separator repeated, a recursive macro with a base case. */
    static final String DEEPSEEK_LIKE = """
            {% macro args(v, depth) %}{% if v is mapping and depth < 4 %}{% for k in v %}{{ k }}={{ args(v[k], depth + 1) }};{% endfor %}{% else %}{{ v }}{% endif %}{% endmacro %}
            {%- set ns = namespace(is_first=false, is_tool=false) -%}
            {{ bos_token }}{{ '=' * 40 }}
            {%- for message in messages -%}
                {%- if message['role'] == 'user' -%}{{ '<｜User｜>' + message['content'] }}
                {%- elif message['role'] == 'assistant' and message['content'] is not none -%}
                    {%- set content = message['content'] -%}
                    {%- if '</think>' in content -%}{%- set content = content.split('</think>')[-1] -%}{%- endif -%}
                    {{ '<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>' }}
                {%- elif message['role'] == 'tool' -%}{{ args(message['content'], 0) }}
                {%- endif -%}
            {%- endfor -%}
            {% for i in range(3) %}{% endfor %}
            {%- if add_generation_prompt -%}{{ '<｜Assistant｜><think>\\n' }}{%- endif -%}
            """;

    @Test
    void templatesShapedLikeRealModelsPass() {
        for (String t : List.of(LLAMA3_LIKE, QWEN2_LIKE, MISTRAL_LIKE, DEEPSEEK_LIKE, DemoModels.CHAT_TEMPLATE)) {
            assertNull(JinjaScan.scan(t), t);
        }
    }

    private static JinjaScan.Finding crash(String template, String words) {
        JinjaScan.Finding f = JinjaScan.scan(template);
        assertNotNull(f, template);
        assertEquals(JinjaScan.Kind.CRASH, f.kind(), f.problem());
        assertTrue(f.problem().contains(words), f.problem());
        return f;
    }

    @Test
    void nestingIsBoundedJustAbove100LevelsOfBlocksAndBracketsTogether() {
        int n = JinjaScan.MAX_NESTING;
        assertNull(JinjaScan.scan("{% if x %}".repeat(n - 1) + "{{ (1) }}" + "{% endif %}".repeat(n - 1)));
        crash("{% if x %}".repeat(n - 1) + "{{ ((1)) }}" + "{% endif %}".repeat(n - 1), "deep");
        crash("{% for x in y %}".repeat(n + 1) + "{% endfor %}".repeat(n + 1), "nests blocks more than 100 deep");
        crash("{{ " + "(".repeat(3000) + "1" + ")".repeat(3000) + " }}", "nests brackets");
        crash("{{ " + "[".repeat(n + 1) + "]".repeat(n + 1) + " }}", "nests brackets");
    }

    @Test
    void operatorChainsAreBounded() {
        int n = JinjaScan.MAX_OPERATORS;
        assertNull(JinjaScan.scan("{{ 1" + " + 1".repeat(n) + " }}"));
        crash("{{ 1" + " + 1".repeat(n + 1) + " }}", "operators");
        crash("{% if " + "not ".repeat(n + 1) + "x %}{% endif %}", "operators");
        crash("{{ x" + ".a".repeat(n + 1) + " }}", "operators");
    }

    @Test
    void longRunsThatMinjaMatchesWithRecursiveRegexesAreBounded() {
        int n = JinjaScan.MAX_RUN;
        assertNull(JinjaScan.scan("{{ " + "x".repeat(n) + " }}"));
        crash("{{ " + "x".repeat(3000) + " }}", "letters and digits");
        crash("{%" + " ".repeat(n + 1) + "if x %}{% endif %}", "spaces");
        assertNull(JinjaScan.scan("{# " + "c".repeat(900) + " #}"));
        crash("{# " + "c".repeat(6000) + " #}", "comment of 6006 characters");
        // Long text and long string literals are not matched that way: b4916 took 200,000 characters of each.
        assertNull(JinjaScan.scan("t".repeat(200_000) + "{{ '" + "s".repeat(20_000) + "' }}"));
        crash("t".repeat(JinjaScan.MAX_CHARS + 1), "characters long");
    }

    @Test
    void hugeRepetitionsAreRefusedAndSmallOnesPass() {
        crash("{{ 'ab' * 300000000 }}", "repeats something 300000000 times");
        crash("{{ 300000000 * 'ab' }}", "300000000");
        crash("{{ ('a' + b) * 20000 }}", "20000");
        crash("{{ 'a' * 1000 * 1000 }}", "1000000");
        crash("{% for i in range(100000000) %}{% endfor %}", "100000000");
        crash("{{ x * 99999999999999999999999 }}", "more than 10^18");
        assertNull(JinjaScan.scan("{{ '-' * 80 }}{{ 1000000 * 1000000 }}{% for i in range(100) %}{% endfor %}"));
        assertNull(JinjaScan.scan("{{ 'x * 3000000' }}"), "inside a string it is text");
    }

    @Test
    void aMacroThatAlwaysCallsItselfIsRefusedOneWithABaseCaseIsNot() {
        crash("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "macro 'm'");
        crash("{% macro a(x) %}{{ b(x) }}{% endmacro %}{% macro b(x) %}x{{ a(x) }}{% endmacro %}", "always calls itself");
        assertNull(JinjaScan.scan("{% macro m(k) %}{% if k > 0 %}{{ m(k - 1) }}{% endif %}{% endmacro %}{{ m(5) }}"));
        assertNull(JinjaScan.scan("{% macro m(k) %}{{ m(k - 1) if k > 0 else '' }}{% endmacro %}"));
        assertNull(JinjaScan.scan("{% macro m(xs) %}{% for x in xs %}{{ m(x.children) }}{% endfor %}{% endmacro %}"));
    }

    @Test
    void whatMinjaCannotParseIsReportedAsSuch() {
        for (String t : List.of("{% if x %}never closed", "{% endfor %}", "{% for x in y %}{% endif %}",
                "{% call m() %}{% endcall %}", "{{ 'unclosed }}", "{# unclosed", "{{ x ", "{% else %}")) {
            JinjaScan.Finding f = JinjaScan.scan(t);
            assertNotNull(f, t);
            assertEquals(JinjaScan.Kind.UNPARSABLE, f.kind(), t + ": " + f.problem());
        }
        assertNull(JinjaScan.scan("{% for x in y %}a{% else %}b{% endfor %}{% set z %}c{% endset %}"
                + "{% filter upper %}d{% endfilter %}{% generation %}e{% endgeneration %}"
                + "{% for x in y %}{% if x %}{% break %}{% else %}{% continue %}{% endif %}{% endfor %}"));
    }

    @Test
    void aRaiseOutsideAnyConditionIsCertainOneInABranchIsNot() {
        JinjaScan.Finding f = JinjaScan.scan("{{ raise_exception('x') }}");
        assertEquals(JinjaScan.Kind.RAISES, f.kind());
        assertTrue(f.problem().contains("line 1, column 1"), f.problem());
        assertNull(JinjaScan.scan("{% if messages | length == 0 %}{{ raise_exception('x') }}{% endif %}"));
        assertNull(JinjaScan.scan("{{ raise_exception('x') if not messages else '' }}"));
    }
}
