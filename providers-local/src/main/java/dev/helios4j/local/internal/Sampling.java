package dev.helios4j.local.internal;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import dev.helios4j.ChatRequest;
import dev.helios4j.ResponseFormat;

/**
 * Maps a request's sampling settings onto llama.cpp's. The same parameters serve streamed and
 * blocking calls, which share one code path. Stop sequences are not passed on: {@link StopMatcher}
 * handles them, so the finish reason is known.
 */
final class Sampling {
    /** llama.cpp's own default, stated so a request without a temperature behaves predictably. */
    static final float DEFAULT_TEMPERATURE = 0.8f;

    private Sampling() {
    }

    static InferenceParameters parameters(String prompt, ChatRequest r, int nPredict) {
        InferenceParameters p = new InferenceParameters(prompt)
                .setNPredict(nPredict) // always set: an unbounded request keeps its slot busy
                .setCachePrompt(true)  // the next turn of a conversation then processes only new tokens
                .setTemperature(r.temperature() == null ? DEFAULT_TEMPERATURE : r.temperature().floatValue());
        if (r.topP() != null) {
            p.setTopP(r.topP().floatValue());
        }
        if (r.topK() != null) {
            p.setTopK(r.topK());
        }
        if (r.minP() != null) {
            p.setMinP(r.minP().floatValue());
        }
        if (r.repeatPenalty() != null) {
            p.setRepeatPenalty(r.repeatPenalty().floatValue());
        }
        if (r.seed() != null) {
            p.setSeed((int) (r.seed() ^ (r.seed() >>> 32)));
        }
        String grammar = grammar(r.responseFormat());
        if (grammar != null) {
            p.setGrammar(grammar);
        }
        return p;
    }

    private static String grammar(ResponseFormat format) {
        return switch (format.type()) {
            case TEXT -> null;
            case JSON_OBJECT -> LlamaModel.jsonSchemaToGrammar("{\"type\":\"object\"}");
            case JSON_SCHEMA -> LlamaModel.jsonSchemaToGrammar(format.schema());
        };
    }
}
