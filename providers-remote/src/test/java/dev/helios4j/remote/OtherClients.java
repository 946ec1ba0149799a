package dev.helios4j.remote;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The clients {@link StreamBenchmark} compares helios4j against, each streaming the same request to
 * the loopback server. Compiled only in the {@code bench} profile, which brings in their
 * libraries: the default build excludes this class and {@link StreamBenchmark} from test compilation.
 */
final class OtherClients {
    private OtherClients() {
    }

    /** One configured client. */
    interface Streamer extends AutoCloseable {
        /** Streams one answer to the end; @return the time from the call to the first token, in ns. */
        long stream(int expectedPieces) throws Exception;

        @Override
        default void close() {
        }
    }

    /** LangChain4j's streaming OpenAI model over its JDK HttpClient, HTTP/1.1 like the other clients. */
    static Streamer langChain4j(String baseUrl) {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(JdkHttpClient.builder()
                        .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)))
                .baseUrl(baseUrl)
                .apiKey("k")
                .modelName("m")
                .timeout(Duration.ofMinutes(5))
                .build();
        return expected -> {
            long start = System.nanoTime();
            long[] first = new long[1];
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            model.chat("Hi", new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partial) {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime() - start;
                    }
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
            done.get(5, TimeUnit.MINUTES); // the handler's thread wrote first[0] before completing
            return first[0];
        };
    }

    /** The official openai-java client (OkHttp underneath), consuming the blocking stream. */
    static Streamer openAiJava(String baseUrl) {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey("k")
                .maxRetries(0)
                .timeout(Duration.ofMinutes(5))
                .build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("m")
                .addUserMessage("Hi")
                .build();
        return new Streamer() {
            @Override
            public long stream(int expectedPieces) {
                long start = System.nanoTime();
                long[] first = new long[1];
                try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                    stream.stream().forEach(chunk -> {
                        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                            if (first[0] == 0 && choice.delta().content().isPresent()) {
                                first[0] = System.nanoTime() - start;
                            }
                        }
                    });
                }
                return first[0];
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
