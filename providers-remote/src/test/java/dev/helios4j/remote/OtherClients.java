package dev.helios4j.remote;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two libraries {@link BenchClient} compares helios4j against, each used as its documentation
 * shows, asking for usage in the stream as helios4j does. Compiled only in the {@code bench}
 * profile, which brings in their libraries.
 */
final class OtherClients {
    private OtherClients() {
    }

    /** LangChain4j's streaming OpenAI model over its JDK HttpClient, HTTP/1.1 like the other clients. */
    static BenchClient.Streamer langChain4j(String baseUrl) {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .httpClientBuilder(JdkHttpClient.builder()
                        .httpClientBuilder(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)))
                .baseUrl(baseUrl)
                .apiKey("k")
                .modelName("gpt-4o-mini")
                .timeout(Duration.ofMinutes(5))
                .build();
        return first -> {
            StringBuilder text = new StringBuilder();
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            model.chat("Hi", new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partial) {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime();
                    }
                    text.append(partial);
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
            done.get(5, TimeUnit.MINUTES); // completing the future publishes the handler thread's writes
            return text.toString();
        };
    }

    /** The official openai-java client (OkHttp underneath), consuming the blocking stream. */
    static BenchClient.Streamer openAiJava(String baseUrl) {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl)
                .apiKey("k")
                .maxRetries(0)
                .timeout(Duration.ofMinutes(5))
                .build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addUserMessage("Hi")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();
        return new BenchClient.Streamer() {
            @Override
            public String stream(long[] first) {
                StringBuilder text = new StringBuilder();
                try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                    stream.stream().forEach(chunk -> {
                        for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                            choice.delta().content().ifPresent(piece -> {
                                if (first[0] == 0 && !piece.isEmpty()) {
                                    first[0] = System.nanoTime();
                                }
                                text.append(piece);
                            });
                        }
                    });
                }
                return text.toString();
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }
}
