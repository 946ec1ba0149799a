package dev.helios4j;

import java.util.List;
import java.util.Objects;

/**
 * The vectors for a list of texts, in the order the texts were given. Immutable as a list; the
 * arrays are the caller's to keep (each call returns fresh ones), so do not share them if you
 * change them.
 *
 * @param vectors one vector per text, all of the same length; never null
 * @param usage the tokens the texts took ({@link Usage#completionTokens()} is 0), or
 *     {@link Usage#UNKNOWN}; never null
 * @param model the model that embedded them, as the provider names it; never null, may be empty
 */
public record EmbeddingResponse(List<float[]> vectors, Usage usage, String model) {

    /** Checks the components; see the class description for the contract. */
    public EmbeddingResponse {
        vectors = List.copyOf(vectors);
        Objects.requireNonNull(usage, "usage");
        model = model == null ? "" : model;
    }

    /** @return the vectors as an array of rows, row {@code i} for text {@code i} */
    public float[][] toArray() {
        return vectors.toArray(new float[0][]);
    }

    /** @return the length of every vector, or 0 when there are none */
    public int dimensions() {
        return vectors.isEmpty() ? 0 : vectors.get(0).length;
    }

    @Override
    public String toString() {
        return "EmbeddingResponse[" + vectors.size() + " vectors of " + dimensions() + " dimensions, " + usage
                + (model.isEmpty() ? "" : ", " + model) + "]";
    }
}
