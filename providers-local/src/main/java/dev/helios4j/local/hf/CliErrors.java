package dev.helios4j.local.hf;

import dev.helios4j.AuthenticationException;
import dev.helios4j.LlmException;
import dev.helios4j.ModelNotFoundException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed run of the Hugging Face CLI into the matching exception, from the words the CLI
 * really prints: huggingface_hub's error names ({@code GatedRepoError}), its short CLI messages
 * ("Access denied. This repository requires approval.") and HTTP status lines ("401 Client
 * Error", "'403 Forbidden'"). A number that merely contains 401 or 404 (a byte count, a file
 * name) is not a status.
 */
final class CliErrors {
    private static final Pattern REPO_MISSING = Pattern.compile(
            "RepositoryNotFound|\\brepository not found\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern FORBIDDEN = Pattern.compile(
            "GatedRepoError|\\bcannot access gated repo\\b|\\brequires approval\\b|\\b403 (?:Client Error|Forbidden)\\b"
                    + "|\\bforbidden\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern UNAUTHORIZED = Pattern.compile(
            "\\b401 (?:Client Error|Unauthorized)\\b|\\bunauthorized\\b|\\binvalid (?:user )?token\\b"
                    + "|\\bnot logged in\\b|\\baccess denied\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern STATUS = Pattern.compile(
            "\\b(40[13]) (?:Client Error|Unauthorized|Forbidden)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern ENTRY_MISSING = Pattern.compile(
            "EntryNotFound|RevisionNotFound|\\b(?:file|entry|revision) not found\\b|\\b404 (?:Client Error|Not Found)\\b",
            Pattern.CASE_INSENSITIVE);

    private CliErrors() {
    }

    /**
     * @param base the start of the message, naming the command and its exit status
     * @param stderr the CLI's last lines of error output, already free of the token
     * @param tail the same lines as they end a message
     */
    static LlmException map(HfModelRef ref, String base, String stderr, String tail) {
        if (REPO_MISSING.matcher(stderr).find()) {
            return new ModelNotFoundException(base + ": the repository " + ref.repo() + " does not exist, or it is"
                    + " private or gated and no token allowed access. Check the name; for a private or gated model,"
                    + " set HF_TOKEN (or run 'hf auth login') and accept its terms on its page." + tail);
        }
        boolean forbidden = FORBIDDEN.matcher(stderr).find();
        if (forbidden || UNAUTHORIZED.matcher(stderr).find()) {
            Matcher status = STATUS.matcher(stderr);
            int code = status.find() ? Integer.parseInt(status.group(1)) : forbidden ? 403 : 401;
            return new AuthenticationException(base + ": access to " + ref.repo() + " was refused. Set HF_TOKEN (or"
                    + " run 'hf auth login') with a token that can read it, and accept the model's terms on its"
                    + " page if it is gated." + tail, code, stderr);
        }
        if (ENTRY_MISSING.matcher(stderr).find()) {
            return new ModelNotFoundException(base + ": " + ref.file() + " at revision " + ref.revision()
                    + " is not in " + ref.repo() + ". Check the file name and revision on the model's page." + tail);
        }
        return new LlmException(base + ". Run the command yourself to see the whole output; check the network,"
                + " HF_ENDPOINT and HF_TOKEN." + tail);
    }
}
