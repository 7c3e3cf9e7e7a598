package dev.nnlab.kernels;

/**
 * {@link ChannelKernels} in plain loops: the definitions its SIMD passes are tested against.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class ChannelKernelsReference {
    private ChannelKernelsReference() {}

    public static float sumSquaredDeviations(int n, float[] x, int xOff, float mean) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = x[xOff + i] - mean;
            s += d * d;
        }
        return (float) s;
    }

    public static void normalize(int n, float[] x, int xOff, float mean, float scale, float beta, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = (x[xOff + i] - mean) * scale + beta;
    }

    public static double sum(int runs, int len, int stride, float[] x, int off) {
        double s = 0;
        for (int r = 0; r < runs; r++) for (int i = 0; i < len; i++) s += x[off + r * stride + i];
        return s;
    }

    public static double sumSquaredDeviations(int runs, int len, int stride, float[] x, int off, float mean) {
        double s = 0;
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < len; i++) {
                double d = x[off + r * stride + i] - mean;
                s += d * d;
            }
        }
        return s;
    }

    public static void gradientSums(int runs, int len, int stride, float[] g, int gOff, float[] x, int xOff, float mean, double[] out) {
        double a = 0, b = 0;
        for (int r = 0; r < runs; r++) {
            for (int i = 0; i < len; i++) {
                a += g[gOff + r * stride + i];
                b += (double) g[gOff + r * stride + i] * (x[xOff + r * stride + i] - mean);
            }
        }
        out[0] = a;
        out[1] = b;
    }

    public static void scaleShift(int n, float[] x, int xOff, float scale, float shift, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = x[xOff + i] * scale + shift;
    }

    public static void combine(int n, float a, float[] g, int gOff, float b, float[] x, int xOff, float mean, float c,
                               float[] d, int dOff) {
        for (int i = 0; i < n; i++) d[dOff + i] = a * g[gOff + i] + b * (x[xOff + i] - mean) + c;
    }
}
