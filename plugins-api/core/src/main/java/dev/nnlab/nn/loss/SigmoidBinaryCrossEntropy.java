package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;

/**
 * Sigmoid followed by binary cross-entropy, fused, averaged over all {@code N * C} elements like
 * PyTorch's {@code BCEWithLogitsLoss}: per element
 * {@code l(x, t) = -t log(sigmoid(x)) - (1 - t) log(1 - sigmoid(x)) = max(x, 0) - x t + log1p(exp(-|x|))},
 * with gradient {@code (sigmoid(x) - t) / (N C)}.
 *
 * <p>The right-hand form never exponentiates a positive number and never takes the log of a
 * probability that rounded to 0 or 1, so logits of magnitude 1e3 stay finite (the naive form
 * gives {@code log(0) = -inf}).
 *
 * <p>Targets: with class labels and one output column (binary classification, one logit per
 * sample) the label itself (0 or 1) is the target; with class labels and C columns the target is
 * the one-hot vector (C independent one-vs-rest logits); with a target tensor each element is a
 * target in [0, 1] (multi-label).
 *
 * <p>Stability: stable for plugin authors.
 */
public final class SigmoidBinaryCrossEntropy implements DenseTargetLoss {
    public static final String NAME = "bce";

    private Tensor grad;

    @Override
    public float forward(Tensor output, int[] labels) {
        int n = output.rows(), c = output.cols();
        LossBuffers.checkLabels(NAME, output, labels, c == 1 ? 2 : c);
        grad = LossBuffers.reuse(grad, output);
        float[] x = output.data, g = grad.data;
        int xo = output.offset;
        float invCount = 1f / ((float) n * c);
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                float t = c == 1 ? labels[i] : (j == labels[i] ? 1f : 0f);
                float xij = x[xo + i * c + j];
                total += elementLoss(xij, t);
                g[i * c + j] = (sigmoid(xij) - t) * invCount;
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
        float invCount = 1f / size;
        double total = 0;
        for (int k = 0; k < size; k++) {
            float xk = x[xo + k], tk = t[to + k];
            total += elementLoss(xk, tk);
            g[k] = (sigmoid(xk) - tk) * invCount;
        }
        return (float) (total / size);
    }

    private static double elementLoss(float x, float t) {
        return Math.max(x, 0.0) - (double) x * t + Math.log1p(Math.exp(-Math.abs((double) x)));
    }

    /** The logistic function, evaluated so that {@code exp} only ever sees a non-positive argument. */
    static float sigmoid(float x) {
        double e = Math.exp(-Math.abs((double) x));
        return (float) (x >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e));
    }

    @Override
    public Tensor backward() { return LossBuffers.requireForward(NAME, grad); }

    @Override
    public String name() { return NAME; }
}
