package dev.helios4j.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.helios4j.LlmClient;
import dev.helios4j.Settings;
import dev.helios4j.local.hf.FakeHub;
import dev.helios4j.local.internal.gguf.DemoModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Notebook.open("llamacpp:hf:…")} fetches the model with the notebook's progress bar, then
 * opens it from the cache. The Hub cannot be reached from this machine, so the providers' test-jar
 * stand-in ({@link FakeHub}: the resolve endpoint's redirects and headers, a CDN that honours
 * ranges) serves the demo model; the download, the cache and the model are real.
 */
class HubDownloadBarTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    @AfterEach
    void forgetTheKernel() {
        Kernels.forget();
    }

    @Test
    void aModelFromTheHubIsFetchedWithTheProgressBarThenAnswers() throws Exception {
        byte[] model = Files.readAllBytes(DemoModels.writeDemo(tmp.resolve("demo.gguf")));
        RecordingFrontend frontend = new RecordingFrontend();
        NotebookState.kernel = Optional.of(frontend);
        Files.createDirectories(tmp.resolve("empty-bin")); // no hf CLI on PATH: the built-in downloader
        try (FakeHub hub = new FakeHub().lfs("org/demo-GGUF", "main", COMMIT, "demo.gguf", model)) {
            Settings settings = Settings.of(Map.of(), Map.of("HF_HUB_CACHE", tmp.resolve("hub").toString(),
                    "HF_ENDPOINT", hub.endpoint(), "PATH", tmp.resolve("empty-bin").toString()), tmp.resolve("home"));
            try (LlmClient llm = ModelOpener.open("llamacpp:hf:org/demo-GGUF/demo.gguf", settings)) {
                assertEquals(DemoModels.CHAT_ANSWER, llm.chat("Hi"), "the fetched model answers");
            }
            assertTrue(Files.isDirectory(tmp.resolve("hub").resolve("models--org--demo-GGUF")), "fetched into the cache");
        }
        assertTrue(!frontend.calls.isEmpty(), "no progress bar was shown");
        RecordingFrontend.Call first = frontend.calls.get(0);
        assertTrue(first.display(), "the bar is displayed first, then updated in place: " + frontend.calls);
        assertTrue(first.id().startsWith("helios4j-progress-"), first.id());
        RecordingFrontend.Call last = frontend.last();
        assertEquals(first.id(), last.id(), "one output, updated in place");
        String total = dev.helios4j.internal.Format.bytes(model.length);
        assertTrue(last.output().plain().contains("100% " + total + " / " + total), last.output().plain());
        assertTrue(last.output().rich().contains("<progress value=\"" + model.length + "\" max=\"" + model.length + "\""),
                last.output().rich());
    }
}
