package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;

/**
 * Mean squared error, averaged over <em>all</em> {@code N * C} elements as PyTorch's
 * {@code MSELoss(reduction='mean')}: {@code L = (1/(N C)) sum_{i,c} (x[i,c] - t[i,c])^2}, so the
 * gradient {@code 2 (x - t) / (N C)} carries the {@code 1/(N C)} factor, not just {@code 1/N}.
 *
 * <p>With class labels the target is the one-hot vector of the label (the classic "MLP with
 * squared error" setup), so the outputs regress 1 for the true class and 0 elsewhere.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class MeanSquaredError implements DenseTargetLoss {
    public static final String NAME = "mse";

    private Tensor grad;

    @Override
    public float forward(Tensor output, int[] labels) {
        int n = output.rows(), c = output.cols();
        LossBuffers.checkLabels(NAME, output, labels, c);
        grad = LossBuffers.reuse(grad, output);
        float[] x = output.data, g = grad.data;
        int xo = output.offset;
        float scale = 2f / ((float) n * c);
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                float d = x[xo + i * c + j] - (j == labels[i] ? 1f : 0f);
                total += (double) d * d;
                g[i * c + j] = scale * d;
            }
        }
        return (float) (total / ((double) n * c));
    }

    @Override
    public float forward(Tensor output, Tensor target) {
        LossBuffers.checkTarget(NAME, output, target);
        grad = LossBuffers.reuse(grad, output);
        int size = output.size();
        float[] x = output.data, t = target.data, g = grad.data;
        int xo = output.offset, to = target.offset;
        float scale = 2f / size;
        double total = 0;
        for (int k = 0; k < size; k++) {
            float d = x[xo + k] - t[to + k];
            total += (double) d * d;
            g[k] = scale * d;
        }
        return (float) (total / size);
    }

    @Override
    public Tensor backward() { return LossBuffers.requireForward(NAME, grad); }

    @Override
    public String name() { return NAME; }
}
