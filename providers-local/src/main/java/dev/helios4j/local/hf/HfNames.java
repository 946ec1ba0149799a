package dev.helios4j.local.hf;

import dev.helios4j.InvalidRequestException;

import java.util.regex.Pattern;

/**
 * Strict checks for repository ids, file paths and revisions. Every name that reaches a process
 * argument, a URL or a path inside the cache passes through here first, so a bad name fails
 * before anything runs. The rules follow what the Hub itself accepts, narrowed where a looser
 * rule could let a name climb out of the cache folder.
 */
final class HfNames {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    // A Hub repo name part: letters, digits, '-', '_', '.'; neither starting nor ending with '-' or '.'.
    private static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?");
    // Blob names come from a server's ETag: only hex-like names may become a file under blobs/.
    private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9_-]{8,128}");
    private static final int MAX_REPO_PART = 96;
    private static final int MAX_FILE = 1024;
    private static final int MAX_REVISION = 255;

    private HfNames() {
    }

    /** @return whether the revision is a full commit hash, which is used as it is */
    static boolean isCommit(String revision) {
        return revision != null && COMMIT.matcher(revision).matches();
    }

    static String requireRepo(String repo) {
        if (repo == null || repo.isBlank()) {
            throw bad("The repository name is empty. Give it as ORG/REPO, for example TheBloke/Llama-2-7B-GGUF.");
        }
        rejectControl("repository name", repo);
        if (repo.contains("://") || repo.regionMatches(true, 0, "www.", 0, 4)) {
            throw bad("'" + repo + "' is a URL, not a repository name. Give the repository as ORG/REPO,"
                    + " and a file in it as hf:ORG/REPO/FILE.gguf.");
        }
        if (isAbsolute(repo)) {
            throw bad("'" + repo + "' is an absolute path, not a repository name. Give it as ORG/REPO;"
                    + " to load a local file, use llamacpp:/path/to/model.gguf.");
        }
        if (repo.contains("..")) {
            throw bad("The repository name '" + repo + "' contains '..'. Give it as ORG/REPO.");
        }
        if (repo.contains("--")) {
            throw bad("The repository name '" + repo + "' contains '--', which the Hub does not allow.");
        }
        String[] parts = repo.split("/", -1);
        if (parts.length > 2) {
            throw bad("The repository name '" + repo + "' has more than one '/'. Give it as ORG/REPO.");
        }
        for (String part : parts) {
            if (part.length() > MAX_REPO_PART || !REPO_PART.matcher(part).matches()) {
                throw bad("The repository name '" + repo + "' is not valid: each of ORG and REPO is 1 to "
                        + MAX_REPO_PART + " letters, digits, '-', '_' or '.', not starting or ending with '-' or '.'.");
            }
        }
        return repo;
    }

    static String requireFile(String file) {
        if (file == null || file.isEmpty()) {
            throw bad("The file name is empty. Name a file in the repository, for example model.Q4_K_M.gguf.");
        }
        rejectControl("file name", file);
        if (file.length() > MAX_FILE) {
            throw bad("The file name is longer than " + MAX_FILE + " characters.");
        }
        if (file.contains("\\")) {
            throw bad("The file name '" + file + "' contains a backslash. Separate folders with '/'.");
        }
        if (isAbsolute(file)) {
            throw bad("The file name '" + file + "' is an absolute path. Give the path inside the repository,"
                    + " for example sub/dir/model.gguf.");
        }
        for (String segment : file.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.isBlank()) {
                throw bad("The file name '" + file + "' has an empty, '.' or '..' part. Give the plain path"
                        + " inside the repository, for example sub/dir/model.gguf.");
            }
            // The CLI would read such a name as an option (--local-dir=..., --token=...).
            if (segment.startsWith("-")) {
                throw bad("The file name '" + file + "' has a part that starts with '-' ('" + segment + "'), which"
                        + " a command line reads as an option. Hub file names do not start with '-'; check the spec.");
            }
        }
        return file;
    }

    static String requireRevision(String revision) {
        if (revision == null || revision.isEmpty()) {
            throw bad("The revision is empty. Leave it out for 'main', or give a branch, tag or commit hash.");
        }
        rejectControl("revision", revision);
        if (revision.length() > MAX_REVISION) {
            throw bad("The revision is longer than " + MAX_REVISION + " characters.");
        }
        // git's own ref-name rules, which also keep refs/REVISION inside the refs folder.
        if (revision.startsWith("/") || revision.endsWith("/") || revision.contains("//")
                || revision.contains("..") || revision.contains("@{") || revision.endsWith(".lock")
                || revision.startsWith("-")) {
            throw bad("The revision '" + revision + "' is not a valid branch, tag or commit: it may not start"
                    + " or end with '/', contain '//' or '..', or start with '-'.");
        }
        for (int i = 0; i < revision.length(); i++) {
            char c = revision.charAt(i);
            if (c == ' ' || "~^:?*[\\".indexOf(c) >= 0) {
                throw bad("The revision '" + revision + "' contains '" + c + "', which a branch, tag or commit"
                        + " name cannot contain.");
            }
        }
        for (String segment : revision.split("/")) {
            if (segment.startsWith(".")) {
                throw bad("The revision '" + revision + "' has a part starting with '.', which git forbids.");
            }
        }
        return revision;
    }

    /** Checks a blob name taken from a server's ETag before it becomes a file name. */
    static String requireEtag(String etag) {
        if (etag == null || !ETAG.matcher(etag).matches()) {
            throw new dev.helios4j.LlmException("The server answered with an ETag '" + etag + "' that cannot name"
                    + " a file in the cache. Check that HF_ENDPOINT points at a Hugging Face Hub.");
        }
        return etag;
    }

    /** Single-quotes a word for a shell command line when it needs it; our names rarely do. */
    static String shellWord(String word) {
        if (word.matches("[A-Za-z0-9._/@=+,-]+")) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static boolean isAbsolute(String name) {
        return name.startsWith("/") || name.startsWith("~")
                || (name.length() >= 2 && Character.isLetter(name.charAt(0)) && name.charAt(1) == ':');
    }

    private static void rejectControl(String what, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw bad("The " + what + " contains the control character U+" + String.format("%04X", (int) c)
                        + ". Remove it; names are plain text.");
            }
        }
    }

    private static InvalidRequestException bad(String message) {
        return new InvalidRequestException(message);
    }
}
