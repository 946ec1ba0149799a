package dev.helios4j.local.hf;

import dev.helios4j.InvalidRequestException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;
import dev.helios4j.ModelNotFoundException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Models from the shared Hugging Face cache, fetched from the Hub when missing. Small enough for
 * a notebook cell or a JShell line:
 *
 * <pre>{@code
 * Path gguf = HfModels.defaults().resolve("hf:TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF/tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf",
 *         DownloadListener.console());
 * HfModels.defaults().list().forEach(System.out::println);
 * }</pre>
 *
 * <p>The cache is the one huggingface_hub, llama.cpp, vLLM and transformers share (see
 * {@link HfEnvironment#cacheDir()}), so a model fetched once serves them all. Files are fetched
 * with the {@code hf} CLI when it is installed, else {@code huggingface-cli}, else a built-in
 * downloader; all three write the same layout.
 *
 * <p>Paths returned are the snapshot entries ({@code snapshots/COMMIT/FILE}), checked to lead to
 * content in {@code blobs/}: they keep the file's own name, which llama.cpp needs to find the
 * other parts of a split model. {@link HfCachedFile#blob()} gives the blob itself.
 *
 * <p>Instances are immutable and thread-safe. Downloads block the calling thread; interrupting
 * it stops the download and keeps the partial file, which the next call resumes.
 */
public final class HfModels {
    private static final System.Logger LOG = System.getLogger(HfModels.class.getName());

    private final HfEnvironment env;
    private final Optional<String> token;
    private final DownloadMethod method;
    private final Duration timeout;
    private final Duration idleTimeout;
    private final DownloadListener listener;
    private final HfCache cache;

    private HfModels(Builder b) {
        this.env = b.env;
        this.token = b.token != null ? Optional.of(b.token) : b.env.token();
        this.method = b.method;
        this.timeout = b.timeout;
        this.idleTimeout = b.idleTimeout;
        this.listener = b.listener;
        this.cache = new HfCache(env.cacheDir());
    }

    /**
     * @return models from this JVM's settings and environment ({@link HfEnvironment#system()}),
     *     with the default timeouts
     */
    public static HfModels defaults() {
        return builder().build();
    }

    /**
     * Models as helios4j's settings say: the {@code hf.*} keys (see {@link HfEnvironment}), each
     * falling back to its Hugging Face environment variable.
     *
     * @param settings where the values come from; never null
     * @return the models
     * @throws InvalidRequestException when a setting is malformed
     */
    public static HfModels from(dev.helios4j.Settings settings) {
        return builder().environment(HfEnvironment.from(settings)).build();
    }

    /** @return a builder, starting from this JVM's settings and environment and the default timeouts */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the cache folder in use */
    public Path cacheDir() {
        return cache.root();
    }

    /** @return the environment this instance reads */
    public HfEnvironment environment() {
        return env;
    }

    /**
     * Looks for a file in the cache only; never downloads, never touches the network.
     *
     * @param revision a branch, tag or commit hash; null for {@code main}
     * @return the file, when the cache holds it for that revision
     * @throws InvalidRequestException if a name is not valid
     */
    public Optional<Path> locate(String repo, String file, String revision) {
        return locate(new HfModelRef(repo, file, revision));
    }

    /** As {@link #locate(String, String, String)}, for a parsed reference. */
    public Optional<Path> locate(HfModelRef ref) {
        return cache.locate(Objects.requireNonNull(ref, "ref"));
    }

    /**
     * The file for {@code hf:ORG/REPO/FILE.gguf[@REVISION]}: from the cache, or downloaded into it.
     *
     * @throws InvalidRequestException if the spec or a name is not valid, or the cache cannot be written
     * @throws ModelNotFoundException if the file is not cached and offline mode forbids fetching
     *     it (the exception holds the command that would), or the Hub has no such file
     * @throws LlmTimeoutException if the download runs past its time limit
     * @throws LlmException for any other failure, with the downloader's own words
     */
    public Path resolve(String spec) {
        return resolve(HfModelRef.parse(spec), listener);
    }

    /** As {@link #resolve(String)}, reporting progress to {@code progress}. */
    public Path resolve(String spec, DownloadListener progress) {
        return resolve(HfModelRef.parse(spec), progress);
    }

    /** As {@link #resolve(String)}, for a file given by its parts; {@code revision} null means main. */
    public Path resolve(String repo, String file, String revision) {
        return resolve(new HfModelRef(repo, file, revision), listener);
    }

    /** As {@link #resolve(String)}, for a parsed reference. */
    public Path resolve(HfModelRef ref) {
        return resolve(ref, listener);
    }

    /** As {@link #resolve(String)}, for a parsed reference, reporting progress to {@code progress}. */
    public Path resolve(HfModelRef ref, DownloadListener progress) {
        Objects.requireNonNull(ref, "ref");
        Optional<Path> cached = cache.locate(ref);
        if (cached.isPresent()) {
            return cached.get();
        }
        boolean knownMissing = cache.knownMissing(ref);
        if (env.offline()) {
            throw new ModelNotFoundException(ref + " is not in the Hugging Face cache at " + cache.root()
                    + (knownMissing ? ", and the Hub said earlier that this revision has no such file" : "")
                    + ". HF_HUB_OFFLINE (or the setting hf.offline) is set, so it was not downloaded: unset it, or fetch it"
                    + " where the network is allowed.", ref.fetchCommand(), null);
        }
        if (knownMissing && ref.pinnedToCommit()) {
            throw new ModelNotFoundException("The Hub said earlier that commit " + ref.revision() + " of " + ref.repo()
                    + " has no file " + ref.file() + " (marked in the cache's .no_exist folder). Check the file name.");
        }
        cache.requireWritable();
        Optional<CliDownloader> cli = method == DownloadMethod.BUILTIN ? Optional.empty() : CliDownloader.find(env);
        if (cli.isPresent()) {
            LOG.log(System.Logger.Level.DEBUG, "Fetching {0} into {1} with {2}", ref, cache.root(), cli.get().executable());
            return cli.get().download(ref, cache.root(), env, token, timeout, progress);
        }
        if (method == DownloadMethod.CLI) {
            throw new LlmException("Neither 'hf' nor 'huggingface-cli' is on the PATH (or the setting hf.cli is none),"
                    + " and this HfModels was built to use only the CLI. Install it (pip install -U huggingface_hub),"
                    + " or build with DownloadMethod.AUTO to use the built-in downloader.");
        }
        LOG.log(System.Logger.Level.DEBUG, "Fetching {0} into {1} from {2}", ref, cache.root(),
                dev.helios4j.Secret.redactUrl(env.endpoint().toString()));
        SafeListener safe = new SafeListener(progress, CliDownloader.redactor(token));
        return new BuiltinDownloader(cache, env, token, idleTimeout).download(ref, timeout, safe);
    }

    /**
     * The GGUF files the cache holds, per repository and revision, with their sizes. Reads the
     * disk only. Sorted by repository, then revisions that a branch or tag points at, then file.
     */
    public List<HfCachedFile> list() {
        return CacheListing.ggufFiles(cache.root());
    }

    @Override
    public String toString() {
        return "HfModels[" + env + ", method=" + method + ", timeout=" + timeout + "]";
    }

    /** Settings for {@link HfModels}. Not thread-safe; the built instance is. */
    public static final class Builder {
        private HfEnvironment env;
        private String token;
        private DownloadMethod method = DownloadMethod.AUTO;
        private Duration timeout = Duration.ofHours(6);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private DownloadListener listener = DownloadListener.none();

        private Builder() {
        }

        /**
         * Where variables, settings and the home folder come from; {@link HfEnvironment#system()}
         * by default, or {@link HfEnvironment#from(dev.helios4j.Settings)} for settings given in code.
         */
        public Builder environment(HfEnvironment environment) {
            this.env = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /** A token to use instead of {@code HF_TOKEN}; it is never printed. */
        public Builder token(String token) {
            this.token = token == null || token.isBlank() ? null : token.trim();
            return this;
        }

        /** How to download; {@link DownloadMethod#AUTO} by default. */
        public Builder method(DownloadMethod method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /** The most one download may take, CLI or built-in; 6 hours by default. */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * How long the built-in downloader waits for a connection, an answer or the next bytes
         * before giving up (the partial file is kept); 60 seconds by default.
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        /** The listener {@code resolve} calls use when none is given; silent by default. */
        public Builder listener(DownloadListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public HfModels build() {
            if (env == null) {
                env = HfEnvironment.system();
            }
            return new HfModels(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidRequestException(name + " must be a positive duration, not " + d + ".");
            }
            return d;
        }
    }
}
