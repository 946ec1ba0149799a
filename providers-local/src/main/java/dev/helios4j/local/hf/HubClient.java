package dev.helios4j.local.hf;

import dev.helios4j.LlmException;
import dev.helios4j.LlmTimeoutException;

import dev.helios4j.Secret;

import dev.helios4j.internal.Format;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * Talks to the Hub's resolve endpoint, {@code HF_ENDPOINT/REPO/resolve/REVISION/FILE}: a HEAD for
 * the file's commit, blob name and size, then GETs for its bytes, with a {@code Range} when a
 * partial file is resumed. Redirects are followed by hand: a HEAD stops at the first redirect to
 * another host (the CDN), since the headers we need are on that answer; and the token is sent only
 * to the endpoint's own host, never to wherever a redirect leads.
 */
final class HubClient {
    private static final int MAX_REDIRECTS = 5;
    private static final String USER_AGENT = "helios4j (java " + Runtime.version().feature() + ")";

    private final HttpClient http;
    private final URI endpoint;
    private final Optional<String> token;
    private final Duration requestTimeout;

    HubClient(URI endpoint, Optional<String> token, Duration requestTimeout) {
        this.endpoint = endpoint;
        this.token = token;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI resolveUri(HfModelRef ref) {
        StringBuilder path = new StringBuilder(endpoint.toString()).append('/').append(ref.repo())
                .append("/resolve/").append(encode(ref.revision()));
        for (String segment : ref.file().split("/")) {
            path.append('/').append(encode(segment));
        }
        return URI.create(path.toString());
    }

    HubFileInfo metadata(HfModelRef ref) throws InterruptedException {
        URI uri = resolveUri(ref);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest request = request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Accept-Encoding", "identity").build();
            HttpResponse<Void> response = send(request, HttpResponse.BodyHandlers.discarding(), ref);
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && location.isPresent()) {
                URI relative = location(location.get(), status, uri, ref);
                URI target = uri.resolve(relative);
                // A relative redirect is the Hub itself (a renamed repo); an absolute one leads to the bytes.
                if (relative.getHost() == null) {
                    uri = target;
                    continue;
                }
                return info(ref, response, target, false);
            }
            if (status == 200) {
                return info(ref, response, uri, true);
            }
            throw HubErrors.map(status, response.headers(), ref, Secret.redactUrl(uri.toString()));
        }
        throw new LlmException("The Hub redirected " + ref + " more than " + MAX_REDIRECTS + " times. Check HF_ENDPOINT.");
    }

    /**
     * GETs the file's bytes from {@code offset} on. The answer is 200 (whole file), 206 (the
     * range asked for) or 416 (nothing left); anything else becomes an exception.
     */
    HttpResponse<Flow.Publisher<List<ByteBuffer>>> open(HfModelRef ref, URI location, long offset)
            throws InterruptedException {
        URI uri = location;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder builder = request(uri).GET().header("Accept-Encoding", "identity");
            if (offset > 0) {
                builder.header("Range", "bytes=" + offset + "-");
            }
            // A publisher, not an InputStream: the JDK's stream swallows interrupts (see BodyStream).
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response =
                    send(builder.build(), HttpResponse.BodyHandlers.ofPublisher(), ref);
            int status = response.statusCode();
            Optional<String> next = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && next.isPresent()) {
                discard(response);
                uri = uri.resolve(location(next.get(), status, uri, ref));
                continue;
            }
            if (status == 200 || status == 206 || status == 416) {
                return response;
            }
            discard(response);
            throw HubErrors.map(status, response.headers(), ref, Secret.redactUrl(uri.toString()));
        }
        throw new LlmException("The Hub redirected the download of " + ref + " more than " + MAX_REDIRECTS
                + " times. Check HF_ENDPOINT.");
    }

    /** Parses a redirect's {@code Location}, which a broken or hostile server may fill with anything. */
    private static URI location(String raw, int status, URI from, HfModelRef ref) {
        String problem;
        URISyntaxException cause = null;
        try {
            URI uri = new URI(raw.strip());
            URI target = from.resolve(uri);
            if (("http".equals(target.getScheme()) || "https".equals(target.getScheme())) && target.getHost() != null) {
                return uri;
            }
            problem = "not an http(s) URL with a host";
        } catch (URISyntaxException e) {
            problem = "not a URL: " + e.getReason();
            cause = e;
        }
        throw new LlmException("The server at " + from.getHost() + " answered HTTP " + status + " for " + ref
                + " with a Location header '" + shown(raw) + "', which is " + problem + ". Check that"
                + " HF_ENDPOINT points at a Hugging Face Hub or a working mirror.", cause);
    }

    /**
     * A Location as a message may show it: the path as sent, so the user sees what is wrong with
     * it, but never a query or user info, where signed CDN links and mirrors carry credentials.
     */
    private static String shown(String raw) {
        String text = raw.strip();
        int cut = text.length();
        for (char c : new char[] {'?', '#'}) {
            int i = text.indexOf(c);
            cut = i >= 0 ? Math.min(cut, i) : cut;
        }
        String head = text.substring(0, cut);
        if (head.contains("@")) {
            return Secret.redactUrl(text);
        }
        String shown = cut < text.length() ? head + text.charAt(cut) + Secret.MASK : head;
        return shown.length() > 300 ? shown.substring(0, 300) + "..." : shown;
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout).header("User-Agent", USER_AGENT);
        if (token.isPresent() && sameOrigin(uri)) {
            builder.header("Authorization", "Bearer " + token.get());
        }
        return builder;
    }

    private boolean sameOrigin(URI uri) {
        return Objects.equals(uri.getScheme(), endpoint.getScheme()) && Objects.equals(uri.getHost(), endpoint.getHost())
                && uri.getPort() == endpoint.getPort();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, HfModelRef ref)
            throws InterruptedException {
        try {
            return http.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw new LlmTimeoutException("Could not connect to " + shownEndpoint() + " within " + Format.duration(requestTimeout)
                    + " to fetch " + ref + ". Check the network or HF_ENDPOINT; set HF_HUB_OFFLINE=1 to use only"
                    + " the cache.", e, null);
        } catch (HttpTimeoutException e) {
            throw new LlmTimeoutException(shownEndpoint() + " did not answer within " + Format.duration(requestTimeout)
                    + " while fetching " + ref + ". Try again, or raise HfModels.builder().idleTimeout(...).", e, null);
        } catch (IOException e) {
            throw new LlmException("Could not reach " + shownEndpoint() + " to fetch " + ref + " (" + e + "). Check the"
                    + " network or HF_ENDPOINT; set HF_HUB_OFFLINE=1 to use only the cache.", e);
        }
    }

    private String shownEndpoint() {
        return Secret.redactUrl(endpoint.toString());
    }

    private static HubFileInfo info(HfModelRef ref, HttpResponse<?> response, URI location, boolean direct) {
        var headers = response.headers();
        String commit = headers.firstValue("X-Repo-Commit").orElse(ref.pinnedToCommit() ? ref.revision() : null);
        if (commit == null || !HfNames.isCommit(commit)) {
            throw new LlmException("The server at " + location.getHost() + " sent no valid X-Repo-Commit header for "
                    + ref + ", so it cannot be placed in the cache. Check that HF_ENDPOINT points at a Hugging Face"
                    + " Hub.");
        }
        String etag = headers.firstValue("X-Linked-Etag").or(() -> headers.firstValue("ETag"))
                .map(HubClient::normalizeEtag).orElse(null);
        HfNames.requireEtag(etag);
        long size = headers.firstValue("X-Linked-Size")
                .or(() -> direct ? headers.firstValue("Content-Length") : Optional.empty())
                .map(HubClient::parseSize).orElse(-1L);
        return new HubFileInfo(commit, etag, size, location);
    }

    // ETags arrive quoted and sometimes weak: W/"abc" names the blob abc.
    static String normalizeEtag(String raw) {
        String etag = raw.trim();
        if (etag.startsWith("W/")) {
            etag = etag.substring(2);
        }
        if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            etag = etag.substring(1, etag.length() - 1);
        }
        return etag;
    }

    private static long parseSize(String raw) {
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // Percent-encodes one path segment: a revision like refs/pr/1 becomes refs%2Fpr%2F1.
    private static String encode(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Lets go of a body we will not read, so its connection is closed rather than left waiting. */
    static void discard(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
        BodyStream.of(response.body()).cancel();
    }
}
