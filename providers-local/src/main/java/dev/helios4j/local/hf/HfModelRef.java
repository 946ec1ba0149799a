package dev.helios4j.local.hf;

import dev.helios4j.InvalidRequestException;

import java.util.Locale;

/**
 * One file in one revision of a model repository on the Hugging Face Hub: what
 * {@code hf:ORG/REPO/FILE.gguf[@REVISION]} names. The names are checked when the record is made,
 * so a reference that exists is safe to put in a command line, a URL or a cache path.
 *
 * <p>Immutable and thread-safe.
 *
 * @param repo the repository id, {@code ORG/REPO} (a legacy id without an organisation is accepted)
 * @param file the path of the file inside the repository; may contain folders ({@code sub/dir/f.gguf})
 * @param revision a branch, a tag or a 40-character commit hash; {@code main} when given as null
 */
public record HfModelRef(String repo, String file, String revision) {

    /** The revision used when none is given. */
    public static final String DEFAULT_REVISION = "main";

    private static final String PREFIX = "hf:";

    /**
     * Checks the names.
     *
     * @throws InvalidRequestException if a name is empty, absolute, contains {@code ..}, a control
     *     character or, for the revision, a path trick
     */
    public HfModelRef {
        HfNames.requireRepo(repo);
        HfNames.requireFile(file);
        revision = HfNames.requireRevision(revision == null ? DEFAULT_REVISION : revision);
    }

    /**
     * A reference to {@code file} on the default revision, {@code main}.
     *
     * @throws InvalidRequestException if a name is not valid
     */
    public static HfModelRef of(String repo, String file) {
        return new HfModelRef(repo, file, null);
    }

    /**
     * Parses {@code hf:ORG/REPO/FILE.gguf[@REVISION]}; the {@code hf:} prefix may be left out. The
     * file may sit in folders: {@code hf:ORG/REPO/sub/dir/model.gguf@v1.0}. The revision follows the
     * last {@code @} unless the spec ends with {@code .gguf}, so a file name may itself contain
     * {@code @}.
     *
     * @param spec the spec; must not be null
     * @return the reference, with revision {@code main} when none was given
     * @throws InvalidRequestException if the spec is not of that form or a name is not valid
     */
    public static HfModelRef parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InvalidRequestException("The model spec is empty. Write hf:ORG/REPO/FILE.gguf[@REVISION].");
        }
        String body = spec.startsWith(PREFIX) ? spec.substring(PREFIX.length()) : spec;
        if (body.contains("://")) {
            throw new InvalidRequestException("'" + spec + "' holds a URL. Write the model as hf:ORG/REPO/FILE.gguf"
                    + "[@REVISION]: for a page .../ORG/REPO/blob/main/FILE.gguf that is hf:ORG/REPO/FILE.gguf.");
        }
        String revision = null;
        int at = body.lastIndexOf('@');
        if (at >= 0 && !body.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            revision = body.substring(at + 1);
            body = body.substring(0, at);
            if (revision.isEmpty()) {
                throw new InvalidRequestException("'" + spec + "' ends with '@' but names no revision."
                        + " Write @main, @v1.0 or @<commit hash>, or leave the '@' out.");
            }
        }
        int first = body.indexOf('/');
        int second = first < 0 ? -1 : body.indexOf('/', first + 1);
        if (second < 0) {
            throw new InvalidRequestException("'" + spec + "' does not name a file in a repository."
                    + " Write hf:ORG/REPO/FILE.gguf[@REVISION], for example hf:TheBloke/Llama-2-7B-GGUF/llama-2-7b.Q4_K_M.gguf.");
        }
        HfModelRef ref = new HfModelRef(body.substring(0, second), body.substring(second + 1), revision);
        if (!ref.file.toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            throw new InvalidRequestException("'" + spec + "' names '" + ref.file + "', which is not a .gguf file."
                    + " llama.cpp loads GGUF files; pick one from the repository's file list.");
        }
        return ref;
    }

    /** @return whether the revision is a full commit hash, used as it is without reading refs */
    public boolean pinnedToCommit() {
        return HfNames.isCommit(revision);
    }

    /** @return the same file at another revision */
    public HfModelRef withRevision(String newRevision) {
        return new HfModelRef(repo, file, newRevision);
    }

    /**
     * The command that fetches this file into the shared Hugging Face cache, exactly as a user
     * would type it: {@code hf download ORG/REPO FILE [--revision R]}.
     */
    public String fetchCommand() {
        return "hf download " + HfNames.shellWord(repo) + " " + HfNames.shellWord(file)
                + (DEFAULT_REVISION.equals(revision) ? "" : " --revision " + HfNames.shellWord(revision));
    }

    /** @return the folder name of this repository in the cache, {@code models--ORG--REPO} */
    String cacheFolderName() {
        return "models--" + repo.replace("/", "--");
    }

    /** @return the spec form, {@code hf:ORG/REPO/FILE}, with {@code @REVISION} unless it is main */
    public String toSpec() {
        return PREFIX + repo + "/" + file + (DEFAULT_REVISION.equals(revision) ? "" : "@" + revision);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
