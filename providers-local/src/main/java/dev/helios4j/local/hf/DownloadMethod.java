package dev.helios4j.local.hf;

/** How {@link HfModels} fetches a file the cache lacks. */
public enum DownloadMethod {
    /** The {@code hf} CLI, else {@code huggingface-cli}, else the built-in downloader. */
    AUTO,
    /** Only the CLI ({@code hf}, else {@code huggingface-cli}); an error when neither is on the PATH. */
    CLI,
    /** Only the built-in Java downloader, which talks to {@code HF_ENDPOINT} itself. */
    BUILTIN
}
