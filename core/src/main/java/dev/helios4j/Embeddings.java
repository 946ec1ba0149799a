package dev.helios4j;

/**
 * Arithmetic on embedding vectors, for comparing texts by meaning:
 *
 * <pre>{@code
 * float[][] v = llm.embed(List.of("The sky is blue.", "The sky is grey.", "Hello world!"));
 * double near = Embeddings.cosine(v[0], v[1]);   // higher than
 * double far = Embeddings.cosine(v[0], v[2]);
 * }</pre>
 *
 * All methods are pure and thread-safe; sums are taken in {@code double}.
 */
public final class Embeddings {
    private Embeddings() {
    }

    /**
     * The cosine of the angle between two vectors: 1 for the same direction, 0 for unrelated
     * (orthogonal), -1 for opposite.
     *
     * @param a a vector; never null
     * @param b a vector of the same length; never null
     * @return the cosine, in [-1, 1]; 0 when either vector is all zeros
     * @throws InvalidRequestException when the lengths differ (vectors from two different models)
     */
    public static double cosine(float[] a, float[] b) {
        checkSameLength(a, b);
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        if (aa == 0 || bb == 0) {
            return 0;
        }
        return Math.max(-1, Math.min(1, dot / (Math.sqrt(aa) * Math.sqrt(bb))));
    }

    /**
     * The cosine of every pair: {@code result[i][j] = cosine(vectors[i], vectors[j])}.
     *
     * @param vectors vectors of one length; never null
     * @return a symmetric matrix with ones on its diagonal (zeros for zero vectors)
     * @throws InvalidRequestException when the lengths differ
     */
    public static double[][] cosineMatrix(float[][] vectors) {
        int n = vectors.length;
        double[][] result = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double c = cosine(vectors[i], vectors[j]);
                result[i][j] = c;
                result[j][i] = c;
            }
        }
        return result;
    }

    /**
     * The vector scaled to length 1, in a new array.
     *
     * @param v a vector; never null
     * @return the unit vector; all zeros when {@code v} is all zeros
     */
    public static float[] normalize(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float[] result = new float[v.length];
        if (sum == 0) {
            return result;
        }
        double norm = Math.sqrt(sum);
        for (int i = 0; i < v.length; i++) {
            result[i] = (float) (v[i] / norm);
        }
        return result;
    }

    private static void checkSameLength(float[] a, float[] b) {
        if (a == null || b == null) {
            throw new InvalidRequestException("A vector is null; pass the vectors embed(...) returned.");
        }
        if (a.length != b.length) {
            throw new InvalidRequestException("The vectors have " + a.length + " and " + b.length + " dimensions; "
                    + "only vectors from the same model can be compared.");
        }
    }
}
