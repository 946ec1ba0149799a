package dev.helios4j.local.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.helios4j.Settings;
import dev.helios4j.spi.ChatEngine;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A batch on a local model keeps every slot of the engine busy: the engine suggests as many calls
 * at once as it has slots, read from the running engine's {@code /props} (the Java engine and a
 * real llama-server, each started with {@code llamacpp.parallel}).
 */
class EngineSlotsTest {
    @Test
    void theJavaEngineSuggestsItsSlots() {
        Settings settings = Settings.of(Map.of(), Map.of(), Path.of("/nonexistent-home"))
                .with("cache-dir", EngineTests.cache().toString()).with("llamacpp.parallel", "2");
        try (ChatEngine engine = EngineTests.open(settings)) {
            assertEquals(2, engine.suggestedConcurrency());
        }
    }

    @Test
    void aLlamaServerSuggestsItsSlots() {
        try (ChatEngine engine = EngineTests.open(EngineTests.raw(LlamaServerBinary.require()).with("llamacpp.parallel", "3"))) {
            assertEquals(3, engine.suggestedConcurrency());
        }
    }
}
