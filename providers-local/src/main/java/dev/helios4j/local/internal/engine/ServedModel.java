package dev.helios4j.local.internal.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.helios4j.local.internal.LlamaEngine;
import dev.helios4j.local.internal.gguf.GgufHeader;

/**
 * Everything the endpoints need once the model is loaded, published at once (one volatile write)
 * so that a request sees all of it or none of it.
 *
 * @param header the model file's header, or null when the model was not named by a file path
 */
record ServedModel(LlamaEngine engine, GgufHeader header, ObjectMapper json, ServedInfo info, ServedChat chat) {
}
