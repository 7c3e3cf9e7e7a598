package dev.nnlab.kernels;

/**
 * Scalar twins of {@link EmbeddingRows}, the definition the vector kernels are tested against.
 *
 * <p>Stability: evolving.
 */
public final class EmbeddingRowsReference {
    private EmbeddingRowsReference() {}

    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        float s = 0;
        for (int i = 0; i < n; i++) s += x[xOff + i] * y[yOff + i];
        return s;
    }

    public static void accumulateAndUpdate(int n, float g, float[] in, int inOff, float[] out, int outOff, float[] work, int workOff) {
        for (int i = 0; i < n; i++) {
            float o = out[outOff + i];
            work[workOff + i] += g * o;
            out[outOff + i] = o + g * in[inOff + i];
        }
    }

    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }
}
