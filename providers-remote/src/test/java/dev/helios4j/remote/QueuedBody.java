package dev.helios4j.remote;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A diagnostic for {@link StreamBenchmark}'s bare client: the body handed over as helios4j's
 * {@code ChatCall} does (the JDK's {@code ofPublisher}, a window of 4, a {@code LinkedBlockingQueue}
 * read by the caller), so that its cost can be told apart from the SSE and JSON reading.
 */
final class QueuedBody extends InputStream implements Flow.Subscriber<List<ByteBuffer>> {
    private static final Object END = new Object();
    private final BlockingQueue<Object> items = new LinkedBlockingQueue<>();
    private Flow.Subscription subscription;
    private Iterator<ByteBuffer> current;
    private ByteBuffer buffer;
    private boolean ended;

    static InputStream open(HttpClient http, HttpRequest request) throws IOException, InterruptedException {
        QueuedBody body = new QueuedBody();
        http.send(request, HttpResponse.BodyHandlers.ofPublisher()).body().subscribe(body);
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(4);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        items.add(item);
    }

    @Override
    public void onError(Throwable error) {
        items.add(error);
    }

    @Override
    public void onComplete() {
        items.add(END);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    @SuppressWarnings("unchecked")
    public int read(byte[] b, int off, int len) throws IOException {
        while (buffer == null || !buffer.hasRemaining()) {
            if (current != null && current.hasNext()) {
                buffer = current.next();
                continue;
            }
            if (ended) {
                return -1;
            }
            Object item;
            try {
                item = items.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (item == END) {
                ended = true;
                return -1;
            }
            if (item instanceof Throwable t) {
                throw new IOException(t);
            }
            current = ((List<ByteBuffer>) item).iterator();
            subscription.request(1);
        }
        int n = Math.min(len, buffer.remaining());
        buffer.get(b, off, n);
        return n;
    }
}
