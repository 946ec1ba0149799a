package dev.helios4j.remote;

import dev.helios4j.Settings;

/**
 * How texts are sent to {@code /embeddings}, read once when the model is opened.
 *
 * @param batch the most texts one request carries; longer lists are split (OpenAI takes 2,048 per
 *     request, many local servers far fewer: a batch is embedded in one go, within the server's batch size)
 * @param model the model that embeds; empty for the client's own
 */
record EmbedSettings(int batch, String model) {
    static final String BATCH = "openai.embed-batch";
    static final String MODEL = "openai.embed-model";
    static final EmbedSettings DEFAULT = new EmbedSettings(64, "");

    static EmbedSettings from(Settings settings) {
        return new EmbedSettings(settings.getInt(BATCH, DEFAULT.batch, 1), settings.get(MODEL).orElse("").strip());
    }
}
