package dev.nnlab.nn.loss;

import dev.nnlab.nn.Range;
import dev.nnlab.tensor.Tensor;

/**
 * The Weston-Watkins multiclass SVM loss (CS231n's "SVM loss"):
 * {@code L = (1/N) sum_i sum_{j != y_i} max(0, x[i,j] - x[i,y_i] + margin)}, margin 1 by default.
 *
 * <p>Subgradient: every violating class {@code j} (positive term) gets {@code +1/N}, the true
 * class gets {@code -(number of violators)/N}; a term exactly at 0 counts as not violating,
 * matching PyTorch's {@code MultiMarginLoss} convention of a zero subgradient at the kink.
 * (PyTorch's {@code MultiMarginLoss} also divides by C; this, like CS231n, does not.)
 *
 * <p>Stability: stable for plugin authors.
 */
public final class MulticlassHinge implements Loss {
    public static final String NAME = "hinge";

    private final float margin;
    private Tensor grad;

    public static final Range MARGIN = Range.above(0);

    public MulticlassHinge() { this(1f); }

    public MulticlassHinge(float margin) {
        MARGIN.require(NAME, "margin", margin);
        this.margin = margin;
    }

    @Override
    public float forward(Tensor output, int[] labels) {
        int n = output.rows(), c = output.cols();
        LossBuffers.checkLabels(NAME, output, labels, c);
        grad = LossBuffers.reuse(grad, output);
        float[] x = output.data, g = grad.data;
        int xo = output.offset;
        float invN = 1f / n;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = xo + i * c, y = labels[i];
            float correct = x[row + y];
            int violators = 0;
            for (int j = 0; j < c; j++) {
                float term = j == y ? 0f : x[row + j] - correct + margin;
                if (term > 0f) {
                    total += term;
                    violators++;
                    g[i * c + j] = invN;
                } else {
                    g[i * c + j] = 0f;
                }
            }
            g[i * c + y] = -violators * invN;
        }
        return (float) (total / n);
    }

    @Override
    public Tensor backward() { return LossBuffers.requireForward(NAME, grad); }

    public float margin() { return margin; }

    @Override
    public String name() { return NAME; }
}
