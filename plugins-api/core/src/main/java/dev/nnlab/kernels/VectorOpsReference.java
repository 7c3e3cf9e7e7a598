package dev.nnlab.kernels;

/**
 * The plain scalar loops that {@link VectorOps} is validated against, one per method, with the
 * same signatures. Reductions accumulate in double so that they are trustworthy references.
 *
 * <p>Stability: evolving; the scalar reference the SIMD kernels are tested against.
 */
public final class VectorOpsReference {
    private VectorOpsReference() {}

    /** y += alpha * x */
    public static void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] += alpha * x[xOff + i];
    }

    public static float dot(int n, float[] x, int xOff, float[] y, int yOff) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[xOff + i] * y[yOff + i];
        return (float) s;
    }

    /** x *= alpha */
    public static void scale(int n, float alpha, float[] x, int xOff) {
        for (int i = 0; i < n; i++) x[xOff + i] *= alpha;
    }

    /** z = x + y (z may alias x or y) */
    public static void add(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) z[zOff + i] = x[xOff + i] + y[yOff + i];
    }

    /** z = x * y (z may alias x or y) */
    public static void mul(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) z[zOff + i] = x[xOff + i] * y[yOff + i];
    }

    public static float sum(int n, float[] x, int xOff) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[xOff + i];
        return (float) s;
    }

    public static float sumSquares(int n, float[] x, int xOff) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[xOff + i] * x[xOff + i];
        return (float) s;
    }

    public static float max(int n, float[] x, int xOff) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) m = Math.max(m, x[xOff + i]);
        return m;
    }

    /** z = max(x + y, 0) */
    public static void addRelu(int n, float[] x, int xOff, float[] y, int yOff, float[] z, int zOff) {
        for (int i = 0; i < n; i++) z[zOff + i] = Math.max(x[xOff + i] + y[yOff + i], 0f);
    }

    /** y = max(x, 0) */
    public static void relu(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = Math.max(x[xOff + i], 0f);
    }

    /** dx = x > 0 ? dy : 0 ({@code x} is the forward input or output: both are positive on the same set) */
    public static void reluBackward(int n, float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) dx[dxOff + i] = x[xOff + i] > 0f ? dy[dyOff + i] : 0f;
    }

    /** Sets bit i of {@code bits} for every i < n with {@code x[xOff + i] > 0}; other bits stay. */
    public static void orPositiveBits(int n, float[] x, int xOff, long[] bits) {
        for (int i = 0; i < n; i++) if (x[xOff + i] > 0f) bits[i >>> 6] |= 1L << (i & 63);
    }

    public static boolean anyPositive(int n, float[] x, int xOff) {
        for (int i = 0; i < n; i++) if (x[xOff + i] > 0f) return true;
        return false;
    }

    /** y[r, :] += v for every row r of the (rows, cols) matrix y: adding a bias. */
    public static void addRowVector(int rows, int cols, float[] v, int vOff, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) y[yOff + r * cols + c] += v[vOff + c];
        }
    }

    /** out[c] += sum over r of x[r, c]: the bias gradient. */
    public static void sumRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) out[outOff + c] += x[xOff + r * cols + c];
        }
    }

    /** y[r, :] = softmax(x[r, :]), shifted by the row max so large logits cannot overflow. y may alias x. */
    public static void softmaxRows(int rows, int cols, float[] x, int xOff, float[] y, int yOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, yo = yOff + r * cols;
            float m = max(cols, x, xo);
            double s = 0;
            for (int c = 0; c < cols; c++) {
                float e = (float) Math.exp(x[xo + c] - m);
                y[yo + c] = e;
                s += e;
            }
            float inv = (float) (1.0 / s);
            for (int c = 0; c < cols; c++) y[yo + c] *= inv;
        }
    }

    /** out[r] = log(sum_c exp(x[r, c])), computed stably. */
    public static void logSumExpRows(int rows, int cols, float[] x, int xOff, float[] out, int outOff) {
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols;
            float m = max(cols, x, xo);
            double s = 0;
            for (int c = 0; c < cols; c++) s += Math.exp(x[xo + c] - m);
            out[outOff + r] = (float) (m + Math.log(s));
        }
    }
}
