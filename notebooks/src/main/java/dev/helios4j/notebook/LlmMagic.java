package dev.helios4j.notebook;

import dev.helios4j.ChatRequest;
import dev.helios4j.Conversation;
import dev.helios4j.Llm;
import dev.helios4j.LlmClient;
import dev.helios4j.LlmException;
import dev.helios4j.ProviderInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code %%llm} cell magic and the {@code %llm} line magic of one notebook session, whatever
 * the kernel: it keeps the session's model, the clients it opened (one per spec, kept open for the
 * session) and the {@code --chat} conversations (one per model).
 *
 * <p>Nothing is thrown at the kernel: every failure, a misused option as much as a model that
 * cannot be opened, shows as the notebooks' short error block. Cells run one at a time; the
 * methods are synchronized all the same.
 */
final class LlmMagic {
    static final String NAME = "llm";
    static final String HELP_LINE = "%llm help shows how to use it";

    private final PromptTemplate.Variables variables;
    private final Map<String, LlmClient> clients = new LinkedHashMap<>();
    private final Map<String, Conversation> chats = new LinkedHashMap<>();
    /** The spec of the model for cells that name none; null until first needed. */
    private String model;
    /** The model of the last {@code --chat} cell, or null. */
    private String lastChat;

    LlmMagic(PromptTemplate.Variables variables) {
        this.variables = Objects.requireNonNull(variables, "variables");
    }

    /** {@code %%llm ARGS} with the cell's other lines as {@code body}. */
    synchronized void cell(List<String> args, String body) {
        try {
            MagicOptions options = MagicOptions.parse(args);
            String prompt = PromptTemplate.fill(body == null ? "" : body, variables).strip();
            if (prompt.isEmpty()) {
                throw new MagicUsageException("The cell has no question: write it on the lines under %%llm.");
            }
            LlmClient llm = client(options.spec());
            AnswerFormat format = new AnswerFormat(llm.spec(), Notebook.footerShown(), "", "");
            if (options.chat()) {
                Conversation chat = conversation(llm, options.system());
                chat.configure(options::applyTo);
                Notebook.run(format, listener -> chat.stream(prompt, listener), llm.spec());
            } else {
                ChatRequest.Builder b = ChatRequest.builder();
                if (options.system() != null) {
                    b.system(options.system());
                }
                ChatRequest request = options.applyTo(b.user(prompt)).build();
                Notebook.run(format, listener -> llm.stream(request, listener), llm.spec());
            }
        } catch (MagicUsageException e) {
            showError("Cannot run %%llm", e.getMessage());
        } catch (LlmException e) {
            show(ErrorReport.of(e));
        } catch (RuntimeException e) {
            unexpected(e);
        }
    }

    /** {@code %llm ARGS}: the commands. */
    synchronized void line(List<String> args) {
        try {
            String command = args.isEmpty() ? "help" : args.get(0);
            List<String> rest = args.subList(Math.min(1, args.size()), args.size());
            switch (command) {
                case "help" -> show(Output.markdown(helpMarkdown(), help()));
                case "use" -> use(rest);
                case "models" -> models();
                case "providers" -> providers();
                case "chat" -> showChat(rest);
                case "reset" -> {
                    chats.clear();
                    lastChat = null;
                    show(Output.markdown("*The `%%llm --chat` conversations start afresh.*",
                            "The %%llm --chat conversations start afresh."));
                }
                default -> throw new MagicUsageException("Unknown command '%llm " + command + "'. Commands: use MODEL,"
                        + " models, providers, chat, reset, help. To ask, put %%llm on a cell's first line and the question under it.");
            }
        } catch (MagicUsageException e) {
            showError("Cannot run %llm", e.getMessage());
        } catch (LlmException e) {
            show(ErrorReport.of(e));
        } catch (RuntimeException e) {
            unexpected(e);
        }
    }

    private void use(List<String> args) {
        if (args.size() != 1) {
            throw new MagicUsageException("%llm use takes one model, e.g. %llm use demo or %llm use openai:gpt-4o-mini.");
        }
        LlmClient llm = client(args.get(0)); // opens it now, so a wrong spec fails here rather than in the next cell
        model = llm.spec();
        String line = "%%llm now asks " + llm.spec() + (llm.spec().equals(llm.resolvedSpec()) ? "" : " (" + llm.resolvedSpec() + ")") + ".";
        show(Output.markdown(Markdown.escape(line), line));
    }

    private void models() {
        LlmClient llm = client(null);
        List<String> offered = llm.models();
        StringBuilder plain = new StringBuilder("In use: " + llm.spec() + " (" + llm.resolvedSpec() + ")\n");
        StringBuilder md = new StringBuilder("**In use:** `" + llm.spec() + "` (`" + llm.resolvedSpec() + "`)\n\n");
        if (offered.isEmpty()) {
            plain.append("The provider '").append(llm.provider()).append("' lists no other models.\n");
            md.append("The provider `").append(llm.provider()).append("` lists no other models.\n");
        } else {
            plain.append("Offered by '").append(llm.provider()).append("':\n");
            md.append("**Offered by `").append(llm.provider()).append("`:**\n\n");
            for (String m : offered) {
                plain.append("  ").append(m).append('\n');
                md.append("- `").append(m).append("`\n");
            }
        }
        String other = "Any other: %llm use PROVIDER:MODEL, e.g. demo, llamacpp:/path/to/model.gguf, openai:gpt-4o-mini.";
        show(Output.markdown(md + "\n" + Markdown.escape(other), plain + other));
    }

    private void providers() {
        List<ProviderInfo> found = Llm.providers();
        if (found.isEmpty()) {
            throw new MagicUsageException("No provider is on the classpath: add helios4j-all.jar (or a provider's jar) with %jars.");
        }
        List<String> lines = new ArrayList<>();
        for (ProviderInfo p : found) {
            lines.add(p.toString());
        }
        StringBuilder md = new StringBuilder();
        for (String l : lines) {
            md.append("- ").append(Markdown.escape(l)).append('\n');
        }
        show(Output.markdown(md.toString(), String.join("\n", lines)));
    }

    /** @return the open client for {@code spec} (null: the session's model), opening it on first use */
    LlmClient client(String spec) {
        if (spec == null) {
            if (model == null) {
                LlmClient llm = Llm.open();
                model = llm.spec();
                clients.putIfAbsent(model, llm);
            }
            spec = model;
        }
        LlmClient llm = clients.get(spec);
        if (llm == null || llm.isClosed()) {
            llm = Llm.open(spec);
            clients.put(spec, llm);
        }
        return llm;
    }

    private Conversation conversation(LlmClient llm, String system) {
        Conversation chat = chats.get(llm.spec());
        if (chat != null && system != null && !system.equals(systemOf(chat))) {
            throw new MagicUsageException("This --chat conversation began with other instructions, and --system applies"
                    + " to a new one: run %llm reset first, or leave --system out to continue.");
        }
        if (chat == null) {
            chat = llm.conversation(system);
            chats.put(llm.spec(), chat);
        }
        lastChat = llm.spec();
        return chat;
    }

    private void showChat(List<String> args) {
        if (args.size() > 1) {
            throw new MagicUsageException("%llm chat takes at most one model, e.g. %llm chat or %llm chat demo.");
        }
        String spec = args.isEmpty() ? lastChat : args.get(0);
        Conversation chat = spec == null ? null : chats.get(spec);
        if (chat == null) {
            String line = "No --chat conversation yet: start one with %%llm --chat.";
            show(Output.markdown(Markdown.escape(line), line));
            return;
        }
        NotebookConversation transcript = new NotebookConversation(chat, spec);
        show(Output.markdown(transcript.transcript(), transcript.toString()));
    }

    private static String systemOf(Conversation chat) {
        return chat.messages().stream().filter(m -> m.role() == dev.helios4j.Role.SYSTEM)
                .map(dev.helios4j.ChatMessage::content).findFirst().orElse(null);
    }

    /**
     * Ends the session: closes the clients it opened (a local model's engine stops once no client
     * uses it) and forgets the conversations.
     */
    synchronized void close() {
        for (LlmClient llm : clients.values()) {
            try {
                llm.close();
            } catch (RuntimeException e) {
                // closing is best effort: one client that fails to close must not keep the others open
            }
        }
        clients.clear();
        chats.clear();
        model = null;
        lastChat = null;
    }

    /** @return the {@code --chat} conversation with that model, if one began; for tests */
    synchronized Conversation chat(String spec) {
        return chats.get(spec);
    }

    /** @return the spec cells without one use, or null before the first use */
    synchronized String model() {
        return model;
    }

    static String help() {
        return MagicOptions.SYNOPSIS + "\n"
                + "QUESTION   on the lines below; {name} inserts the variable name, {{ and }} write braces\n\n"
                + "%llm use MODEL   the model for cells that name none (demo, openai:gpt-4o-mini, …)\n"
                + "%llm models      the model in use and the models its provider offers\n"
                + "%llm providers   the providers found on the classpath\n"
                + "%llm chat        the --chat conversation so far\n"
                + "%llm reset       start the --chat conversations afresh\n"
                + "%llm help        this text";
    }

    private static String helpMarkdown() {
        return "```\n" + help() + "\n```";
    }

    /** Not a helios4j error: said in one block all the same, since a trace would bury the cell. */
    private static void unexpected(RuntimeException e) {
        showError("Unexpected error in %%llm", ErrorReport.redact(e.toString(), System.getenv())
                + " (a bug in helios4j or in a provider: please report it)");
    }

    private static void showError(String title, String detail) {
        show(new ErrorReport(title, detail));
    }

    private static void show(ErrorReport report) {
        show(Output.markdown(report.markdown(), report.plain()));
    }

    private static void show(Output output) {
        Notebook.show(output);
    }
}
