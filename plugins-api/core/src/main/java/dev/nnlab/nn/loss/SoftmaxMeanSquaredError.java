package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;

/**
 * The squared error of a softmax output against the one-hot label, averaged over all {@code N * C}
 * elements like {@link MeanSquaredError}: with {@code p = softmax(x)} per row,
 * {@code L = (1/(N C)) sum_{i,c} (p[i,c] - t[i,c])^2}. The classic "quadratic cost on a saturating
 * output" that cross-entropy replaces: its gradient {@code dL/dx_j = p_j (a_j - sum_k p_k a_k)} with
 * {@code a = 2 (p - t) / (N C)} carries the softmax's derivative, so a confidently wrong output
 * ({@code p_true} near 0) learns slowly, where cross-entropy's {@code (p - t) / N} does not.
 *
 * <p>Stability: evolving.
 */
public final class SoftmaxMeanSquaredError implements Loss {
    public static final String NAME = "softmax_mse";

    private Tensor grad;
    private float[] p = new float[0];

    @Override
    public float forward(Tensor output, int[] labels) {
        int n = output.rows(), c = output.cols();
        LossBuffers.checkLabels(NAME, output, labels, c);
        grad = LossBuffers.reuse(grad, output);
        if (p.length < c) p = new float[c];
        float[] x = output.data, g = grad.data;
        int xo = output.offset;
        double scale = 2.0 / ((double) n * c), total = 0;
        for (int i = 0; i < n; i++) {
            int row = xo + i * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, x[row + j]);
            double sum = 0;
            for (int j = 0; j < c; j++) sum += Math.exp(x[row + j] - max);
            double dot = 0;   // sum_k p_k a_k
            for (int j = 0; j < c; j++) {
                double pj = Math.exp(x[row + j] - max) / sum;
                p[j] = (float) pj;
                double d = pj - (j == labels[i] ? 1 : 0);
                total += d * d;
                dot += pj * scale * d;
            }
            for (int j = 0; j < c; j++) {
                double a = scale * (p[j] - (j == labels[i] ? 1 : 0));
                g[i * c + j] = (float) (p[j] * (a - dot));
            }
        }
        return (float) (total / ((double) n * c));
    }

    @Override
    public Tensor backward() { return LossBuffers.requireForward(NAME, grad); }

    @Override
    public String name() { return NAME; }
}
