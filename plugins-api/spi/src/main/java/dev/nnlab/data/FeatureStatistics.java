package dev.nnlab.data;

import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/** Per-feature statistics over the rows of an {@code (N, D...)} tensor, accumulated in double. */
final class FeatureStatistics {
    private FeatureStatistics() {}

    static double[] mean(Tensor x) {
        int n = requireRows(x), d = x.cols();
        double[] sum = new double[d];
        for (int i = 0; i < n; i++) {
            int row = x.offset + i * d;
            for (int j = 0; j < d; j++) sum[j] += x.data[row + j];
        }
        for (int j = 0; j < d; j++) sum[j] /= n;
        return sum;
    }

    /** Population standard deviation (divide by N, numpy's default), two-pass around {@code mean}. */
    static double[] std(Tensor x, double[] mean) {
        int n = requireRows(x), d = x.cols();
        double[] ss = new double[d];
        for (int i = 0; i < n; i++) {
            int row = x.offset + i * d;
            for (int j = 0; j < d; j++) {
                double dev = x.data[row + j] - mean[j];
                ss[j] += dev * dev;
            }
        }
        for (int j = 0; j < d; j++) ss[j] = Math.sqrt(ss[j] / n);
        return ss;
    }

    /** {@code [min..., max...]}: the first D values are minima, the next D maxima. */
    static float[] minMax(Tensor x) {
        int n = requireRows(x), d = x.cols();
        float[] mm = new float[2 * d];
        System.arraycopy(x.data, x.offset, mm, 0, d);
        System.arraycopy(x.data, x.offset, mm, d, d);
        for (int i = 1; i < n; i++) {
            int row = x.offset + i * d;
            for (int j = 0; j < d; j++) {
                float v = x.data[row + j];
                if (v < mm[j]) mm[j] = v;
                if (v > mm[d + j]) mm[d + j] = v;
            }
        }
        return mm;
    }

    static int requireRows(Tensor x) {
        if (x.rank() < 2 || x.rows() == 0) throw new IllegalArgumentException("need (N, ...) with N >= 1 to fit, got " + x);
        return x.rows();
    }

    static void requireFeatures(Tensor x, int d, String what) {
        // From the shape, not x.cols(): an empty part (N = 0, as with valFraction 0) still has d features per sample.
        int[] shape = x.shape();
        if (shape.length < 2 || Tensor.sizeOf(Arrays.copyOfRange(shape, 1, shape.length)) != d) {
            throw new IllegalArgumentException(what + " was fitted on " + d + " features per sample, got " + x);
        }
    }

    /** {@code (x - shift) * factor} per feature, into a new tensor of x's shape. */
    static Tensor affine(Tensor x, float[] shift, float[] factor) {
        int n = x.rows(), d = shift.length;
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            int src = x.offset + i * d, dst = i * d;
            for (int j = 0; j < d; j++) out[dst + j] = (x.data[src + j] - shift[j]) * factor[j];
        }
        return Tensor.of(out, x.shape());
    }
}
