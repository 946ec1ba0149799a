package dev.helios4j.remote;

import dev.helios4j.Batch;
import dev.helios4j.LlmClient;
import java.nio.file.Path;

/** The batch a child JVM runs until the test kills it: {@code BASE_URL JOURNAL ROWS}. */
public final class BatchChild {
    private BatchChild() {
    }

    public static void main(String[] args) {
        try (LlmClient llm = OpenAiClients.builder(Transcripts.NO_CONFIG).baseUrl(args[0]).maxRetries(0)
                .open("batch-model")) {
            Batch.of(BatchTest.prompts(Integer.parseInt(args[2]))).prompt("{text}").concurrency(2)
                    .journal(Path.of(args[1])).run(llm);
        }
        System.exit(0);
    }
}
