package dev.nnlab.kernels;

/**
 * The scalar twin of {@link LstmGates}, units {@code [from, h)} of one sample, in double with
 * Math.exp and Math.tanh: what the tests compare the vector kernel against, what runs when vectors
 * are off, and the tail of every vector row.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class LstmGatesReference {
    private LstmGatesReference() {}

    /** As {@link LstmGates#forward}, for units from..h-1. */
    public static void forward(int from, int h, float[] a, int ga, float[] c0, int co, float[] tc, int to, float[] y, int yo,
                               float[] s, int sh, int sc) {
        for (int j = from; j < h; j++) {
            float i = sigmoid(a[ga + j]), f = sigmoid(a[ga + h + j]);
            float u = (float) Math.tanh(a[ga + 2 * h + j]), o = sigmoid(a[ga + 3 * h + j]);
            a[ga + j] = i;
            a[ga + h + j] = f;
            a[ga + 2 * h + j] = u;
            a[ga + 3 * h + j] = o;
            float c = f * c0[co + j] + i * u;
            float th = (float) Math.tanh(c);
            tc[to + j] = th;
            float hv = o * th;
            y[yo + j] = hv;
            s[sh + j] = hv;
            s[sc + j] = c;
        }
    }

    /** As {@link LstmGates#backward}, for units from..h-1; returns their sum of squares of dL/dh. */
    public static double backward(int from, int h, float[] a, int ga, float[] c0, int co, float[] tc, int to, float[] dy, int dyo,
                                  float[] ds, int dh, int dc, float[] g, int gd) {
        double norm = 0;
        for (int j = from; j < h; j++) {
            float d = dy[dyo + j] + ds[dh + j];
            norm += (double) d * d;
            float i = a[ga + j], f = a[ga + h + j], u = a[ga + 2 * h + j], o = a[ga + 3 * h + j], th = tc[to + j];
            float c = ds[dc + j] + d * o * (1 - th * th);
            g[gd + j] = c * u * i * (1 - i);
            g[gd + h + j] = c * c0[co + j] * f * (1 - f);
            g[gd + 2 * h + j] = c * i * (1 - u * u);
            g[gd + 3 * h + j] = d * th * o * (1 - o);
            ds[dh + j] = 0f;
            ds[dc + j] = c * f;
        }
        return norm;
    }

    static float sigmoid(float v) { return (float) (1.0 / (1.0 + Math.exp(-v))); }
}
