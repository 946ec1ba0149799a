package dev.helios4j.local.hf;

import dev.helios4j.AuthenticationException;
import dev.helios4j.HttpException;
import dev.helios4j.LlmException;
import dev.helios4j.ModelNotFoundException;
import dev.helios4j.RateLimitException;
import dev.helios4j.ServerException;
import dev.helios4j.internal.Format;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;

/**
 * Turns a failed answer from the Hub into the matching exception, in one place. The Hub names
 * the failure in {@code X-Error-Code} ({@code RepoNotFound}, {@code RevisionNotFound},
 * {@code EntryNotFound}, {@code GatedRepo}) and explains it in {@code X-Error-Message}; HEAD
 * answers have no body, so these headers are all there is to go on.
 */
final class HubErrors {
    private HubErrors() {
    }

    static LlmException map(int status, HttpHeaders headers, HfModelRef ref, String url) {
        String code = headers.firstValue("X-Error-Code").orElse("");
        String detail = headers.firstValue("X-Error-Message").orElse("");
        String said = detail.isEmpty() ? "" : " The Hub said: " + detail;
        String where = " (HTTP " + status + " from " + url + ")";
        switch (code) {
            case "RepoNotFound":
                return new ModelNotFoundException("The repository " + ref.repo() + " does not exist, or it is private"
                        + " and the token (HF_TOKEN) does not grant access" + where + "." + said);
            case "RevisionNotFound":
                return new ModelNotFoundException("The revision '" + ref.revision() + "' does not exist in "
                        + ref.repo() + where + ". Check the branch, tag or commit." + said);
            case "EntryNotFound":
                return new ModelNotFoundException("The file " + ref.file() + " does not exist in " + ref.repo()
                        + " at revision " + ref.revision() + where + ". Check the name in the repository's file list."
                        + said);
            case "GatedRepo":
                return new AuthenticationException("The repository " + ref.repo() + " is gated" + where + ". Accept"
                        + " its terms on its page, then set HF_TOKEN to a token of that account." + said, status, detail);
            default:
                break;
        }
        if (status == 401 || status == 403) {
            return new AuthenticationException("Access to " + ref.repo() + " was refused" + where + ". Set HF_TOKEN"
                    + " (or run 'hf auth login') with a token that can read it." + said, status, detail);
        }
        if (status == 404) {
            return new ModelNotFoundException("The Hub has no " + ref + where + ". Check the repository, file and"
                    + " revision names." + said);
        }
        if (status == 429) {
            Duration retryAfter = headers.firstValue("Retry-After")
                    .flatMap(v -> RateLimitException.parseRetryAfter(v, Instant.now())).orElse(null);
            return new RateLimitException("The Hub is rate limiting downloads" + where + ". Wait"
                    + (retryAfter == null ? " a while" : " " + Format.duration(retryAfter))
                    + " and try again; a token (HF_TOKEN) raises the limit." + said, detail, retryAfter);
        }
        if (status >= 500) {
            return new ServerException("The Hub failed" + where + ". Try again later." + said, status, detail, null);
        }
        return new HttpException("Unexpected answer from the Hub" + where + " for " + ref + "." + said, status, detail,
                null);
    }
}
