package dev.helios4j.local.internal.gguf;

import dev.helios4j.InvalidModelException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The header of a GGUF model file, read and checked in Java before the file reaches native code.
 *
 * <p>{@link #read} reads only the header (metadata and tensor descriptions, through a 64 KB
 * window), never the tensor data. It checks the magic, the version (2 or 3), that every count and
 * length fits in the file, and that every tensor's data lies inside the file: llama.cpp maps the
 * file into memory, and touching a page past the end of a truncated file kills the JVM with
 * SIGBUS, so that check has to happen here.
 *
 * <p>Metadata values are exposed as Java values that hold them exactly: {@code Integer} for 8, 16
 * and signed 32-bit integers, {@code Long} for unsigned 32-bit and 64-bit integers (unsigned
 * 64-bit values above 2^63 appear negative), {@code Float}, {@code Double}, {@code Boolean},
 * {@code String}, and immutable {@code List}s of those for arrays.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class GgufHeader {

    /**
     * One tensor's description.
     *
     * @param name the tensor name, such as {@code blk.0.attn_q.weight}
     * @param type the ggml type name, such as {@code F16} or {@code Q4_K}
     * @param dims the shape, first (fastest) dimension first, as in the file
     * @param fileOffset where the tensor's data starts, from the start of the file
     * @param byteSize the bytes the data takes
     */
    public record TensorInfo(String name, String type, List<Long> dims, long fileOffset, long byteSize) {
        /** Copies {@code dims}. */
        public TensorInfo {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            dims = List.copyOf(dims);
        }
    }

    private final Path file;
    private final GgufParser.Parsed parsed;

    private GgufHeader(Path file, GgufParser.Parsed parsed) {
        this.file = file;
        this.parsed = parsed;
    }

    /**
     * Reads and checks the header of {@code file}.
     *
     * @param file the model file; must not be null
     * @return the header
     * @throws InvalidModelException when the file is missing, unreadable, not GGUF, truncated or
     *     damaged; the message names the file and the exact problem. Nothing else is thrown.
     */
    public static GgufHeader read(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException(file + " is not a model file: "
                    + (Files.exists(file) ? "it is not a regular file" : "it does not exist"));
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new GgufHeader(file, GgufParser.parse(new HeaderInput(channel)));
        } catch (GgufFormatException e) {
            String what = e.notGguf ? " is not a GGUF model file: " : " is a damaged GGUF model file: ";
            throw new InvalidModelException(file + what + e.getMessage());
        } catch (IOException e) {
            throw new InvalidModelException("cannot read the model file " + file + ": " + e, e);
        } catch (RuntimeException e) {
            // A check this reader lacks; still never let a damaged file surface as anything else.
            throw new InvalidModelException(file + " is a damaged GGUF model file: " + e, e);
        }
    }

    /** The file this header was read from. */
    public Path file() {
        return file;
    }

    /** The GGUF version, 2 or 3. */
    public int version() {
        return parsed.version();
    }

    /** The file's size in bytes when it was read. */
    public long fileSize() {
        return parsed.fileSize();
    }

    /** The data alignment ({@code general.alignment}, 32 when absent). */
    public int alignment() {
        return parsed.alignment();
    }

    /** Where tensor data starts, from the start of the file. */
    public long dataOffset() {
        return parsed.dataOffset();
    }

    /** The number of tensors. */
    public int tensorCount() {
        return parsed.tensors().size();
    }

    /** The tensor descriptions, in file order. */
    public List<TensorInfo> tensors() {
        return Collections.unmodifiableList(parsed.tensors());
    }

    /** All metadata, in file order; see the class comment for the value types. */
    public Map<String, Object> metadata() {
        return Collections.unmodifiableMap(parsed.metadata());
    }

    /** The value of any key, such as {@code llama.block_count}. */
    public Optional<Object> get(String key) {
        return Optional.ofNullable(parsed.metadata().get(key));
    }

    /** The value of {@code key} when it is a string. */
    public Optional<String> getString(String key) {
        return get(key).filter(String.class::isInstance).map(String.class::cast);
    }

    /** The value of {@code key} when it is an integer of any width. */
    public OptionalLong getLong(String key) {
        Object v = parsed.metadata().get(key);
        return v instanceof Integer || v instanceof Long ? OptionalLong.of(((Number) v).longValue())
                : OptionalLong.empty();
    }

    /** {@code general.architecture}, such as {@code llama} or {@code qwen2}. */
    public Optional<String> architecture() {
        return getString("general.architecture");
    }

    /** {@code general.name}, the model's display name. */
    public Optional<String> name() {
        return getString("general.name");
    }

    /** The trained context length, {@code <architecture>.context_length}. */
    public OptionalLong contextLength() {
        return architecture().map(a -> getLong(a + ".context_length")).orElse(OptionalLong.empty());
    }

    /** The Jinja chat template, {@code tokenizer.chat_template}. */
    public Optional<String> chatTemplate() {
        return getString("tokenizer.chat_template");
    }

    /**
     * {@code tokenizer.ggml.bos_token_id} as written in the file. When it is absent llama.cpp
     * uses a default for some tokenizers (1 for SentencePiece); this reports only the file.
     */
    public OptionalInt bosTokenId() {
        return tokenId("tokenizer.ggml.bos_token_id");
    }

    /** {@code tokenizer.ggml.eos_token_id} as written in the file; see {@link #bosTokenId()}. */
    public OptionalInt eosTokenId() {
        return tokenId("tokenizer.ggml.eos_token_id");
    }

    private OptionalInt tokenId(String key) {
        OptionalLong id = getLong(key);
        return id.isPresent() && id.getAsLong() >= 0 && id.getAsLong() <= Integer.MAX_VALUE
                ? OptionalInt.of((int) id.getAsLong()) : OptionalInt.empty();
    }

    @Override
    public String toString() {
        return "GgufHeader[" + file + ", v" + version() + ", " + architecture().orElse("?")
                + ", " + tensorCount() + " tensors, " + parsed.metadata().size() + " keys]";
    }
}
