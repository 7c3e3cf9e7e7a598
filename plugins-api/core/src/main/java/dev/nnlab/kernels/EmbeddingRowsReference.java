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

    public static void accumulateAndUpdateRows(int n, float[] g, int count, float[] in, int inOff, float[] out, int[] rows,
                                               float[] work, int workOff) {
        for (int i = 0; i < n; i++) work[workOff + i] = 0;
        for (int r = 0; r < count; r++) accumulateAndUpdate(n, g[r], in, inOff, out, rows[r], work, workOff);
    }

    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    public static void scaledSum(int n, float scale, float[] x, int[] rows, int count, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float sum = 0;
            for (int r = 0; r < count; r++) sum += x[rows[r] + i];
            y[yOff + i] = sum * scale;
        }
    }

    public static void addToRows(int n, float[] x, int xOff, float[] y, int[] rows, int count) {
        for (int r = 0; r < count; r++) {
            for (int i = 0; i < n; i++) y[rows[r] + i] += x[xOff + i];
        }
    }

    public static void dots(int n, float[] x, int xOff, float[] y, int[] rows, int count, float[] dots) {
        for (int r = 0; r < count; r++) dots[r] = dot(n, x, xOff, y, rows[r]);
    }

    public static void addScaledRows(int n, float[] coef, int coefOff, int coefStride, float[] x, int[] rows, int count,
                                     float[] y, int yOff) {
        for (int r = 0; r < count; r++) {
            for (int i = 0; i < n; i++) y[yOff + i] += coef[coefOff + r * coefStride] * x[rows[r] + i];
        }
    }
}
