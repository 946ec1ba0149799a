package dev.helios4j.local.hf;

import dev.helios4j.InvalidModelException;
import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;

import dev.helios4j.internal.Format;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads one blob into {@code blobs/ETAG.incomplete}, resuming what an earlier try left there
 * with a {@code Range} request, and retrying when the connection drops mid-file. When every byte
 * is in, it checks the size and the checksum the ETag names, then renames the file into place
 * atomically: a reader sees either no blob or the whole, checked one. Callers hold the blob's lock.
 */
final class BlobFetcher {
    private static final int MAX_DROPS = 5;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-\\d+/(?:\\d+|\\*)");

    private final HubClient client;
    private final Duration idle;

    BlobFetcher(HubClient client, Duration idle) {
        this.client = client;
        this.idle = idle;
    }

    void fetch(HfModelRef ref, HubFileInfo info, Path incomplete, Path blob, long deadlineNanos,
            SafeListener listener) throws InterruptedException {
        Optional<ContentCheck> check = ContentCheck.forEtag(info.etag(), info.size());
        try {
            Files.createDirectories(incomplete.getParent());
        } catch (IOException e) {
            throw diskFailure(incomplete.getParent(), e);
        }
        int drops = 0;
        while (true) {
            try {
                if (attempt(ref, info, incomplete, deadlineNanos, check, listener)) {
                    break;
                }
            } catch (IOException dropped) {
                drops++;
                if (drops >= MAX_DROPS) {
                    throw new LlmException("The connection dropped " + drops + " times while downloading " + ref
                            + " (last: " + dropped.getMessage() + "). The partial file " + incomplete + " is kept;"
                            + " call resolve again to resume it.", dropped);
                }
                listener.onMessage("Connection lost during " + ref.file() + "; resuming.");
            }
        }
        verify(ref, info, incomplete, check);
        try {
            Files.move(incomplete, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LlmException("Could not move " + incomplete + " to " + blob + ": " + e.getMessage(), e);
        }
    }

    /** @return true when the file is complete; IOException when the connection dropped */
    private boolean attempt(HfModelRef ref, HubFileInfo info, Path incomplete, long deadlineNanos,
            Optional<ContentCheck> check, SafeListener listener) throws IOException, InterruptedException {
        long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        if (info.size() >= 0 && have > info.size()) {
            have = 0;
        }
        if (info.size() >= 0 && have == info.size() && have > 0) {
            check.ifPresent(c -> feedQuietly(c, incomplete, info.size()));
            return true;
        }
        HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = client.open(ref, info.location(), have);
        int status = response.statusCode();
        if (status == 416) {
            HubClient.discard(response);
            if (info.size() < 0 && have > 0) {
                check.ifPresent(c -> feedQuietly(c, incomplete, Long.MAX_VALUE));
                return true;
            }
            Files.deleteIfExists(incomplete);
            throw new IOException("the server refused to resume at byte " + have);
        }
        // A server that ignores Range answers 200 with the whole file: start over rather than append.
        boolean resume = have > 0 && status == 206 && rangeStart(response) == have;
        long done = resume ? have : 0;
        check.ifPresent(ContentCheck::reset);
        if (resume && check.isPresent()) {
            check.get().updateFrom(incomplete, have);
        }
        listener.onProgress(new DownloadProgress(ref, done, info.size()));
        BodyStream body = BodyStream.of(response.body());
        OutputStream out = openLocal(body, incomplete, resume);
        try (out) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = body.read(buffer, idle.toNanos(), deadlineNanos)) >= 0) {
                writeLocal(out, buffer, n, incomplete);
                int len = n;
                check.ifPresent(c -> c.update(buffer, 0, len));
                done += n;
                listener.onProgress(new DownloadProgress(ref, done, info.size()));
            }
        } catch (InterruptedException e) {
            body.cancel();
            Thread.currentThread().interrupt();
            throw new LlmException("Download of " + ref + " cancelled: the thread was interrupted. The partial file "
                    + incomplete + " is kept; the next download resumes it.", e);
        } catch (BodyStream.Stalled e) {
            body.cancel();
            throw e.deadline
                    ? new LlmTimeoutException("The download of " + ref + " ran past its time limit. The partial file is"
                            + " kept; call resolve again to resume, or raise HfModels.builder().timeout(...).", e, null)
                    : new LlmTimeoutException("No data arrived for " + Format.duration(idle) + " while downloading "
                            + ref + ". The partial file is kept; call resolve again to resume, or raise"
                            + " HfModels.builder().idleTimeout(...).", e, null);
        } catch (IOException | RuntimeException e) {
            body.cancel();
            throw e;
        }
        if (info.size() >= 0 && done < info.size()) {
            throw new IOException("the body ended after " + done + " of " + info.size() + " bytes");
        }
        return true;
    }

    // Disk failures are not dropped connections: they must not be retried, and say so.
    private static OutputStream openLocal(BodyStream body, Path incomplete, boolean append) {
        try {
            return Files.newOutputStream(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            body.cancel();
            throw diskFailure(incomplete, e);
        }
    }

    private static void writeLocal(OutputStream out, byte[] buffer, int n, Path incomplete) {
        try {
            out.write(buffer, 0, n);
        } catch (IOException e) {
            throw diskFailure(incomplete, e);
        }
    }

    private static LlmException diskFailure(Path file, IOException e) {
        return new LlmException("Could not write " + file + " (" + e + "). Check free space and the permissions"
                + " of the Hugging Face cache folder.", e);
    }

    private static void verify(HfModelRef ref, HubFileInfo info, Path incomplete, Optional<ContentCheck> check) {
        long size;
        try {
            size = Files.size(incomplete);
        } catch (IOException e) {
            throw new LlmException("Could not read the downloaded file " + incomplete + ": " + e.getMessage(), e);
        }
        String problem = null;
        if (info.size() >= 0 && size != info.size()) {
            problem = "it has " + size + " bytes where the Hub announced " + info.size();
        } else if (check.isPresent()) {
            String actual = check.get().actual();
            if (!actual.equals(check.get().expected())) {
                problem = "its " + check.get().name() + " is " + actual + " where the Hub announced " + info.etag();
            }
        }
        if (problem != null) {
            try {
                Files.deleteIfExists(incomplete);
            } catch (IOException ignored) {
                // The next try truncates it anyway.
            }
            throw new InvalidModelException("The download of " + ref + " is damaged: " + problem + ". It was deleted;"
                    + " try again. If this repeats, something between you and HF_ENDPOINT alters the file.");
        }
    }

    private static long rangeStart(HttpResponse<?> response) {
        return response.headers().firstValue("Content-Range")
                .map(CONTENT_RANGE::matcher).filter(Matcher::matches)
                .map(m -> Long.parseLong(m.group(1))).orElse(-1L);
    }

    private static void feedQuietly(ContentCheck check, Path file, long length) {
        try {
            check.reset();
            check.updateFrom(file, length);
        } catch (IOException e) {
            throw new LlmException("Could not read " + file + " to check it: " + e.getMessage(), e);
        }
    }
}
