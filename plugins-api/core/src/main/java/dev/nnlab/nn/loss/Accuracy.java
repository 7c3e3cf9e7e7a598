package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;

/**
 * Predicted classes and accuracy from a batch of outputs {@code (N, C)}: the arg-max of each row,
 * or, for a single output column (one logit per sample, see {@link SigmoidBinaryCrossEntropy}),
 * class 1 when the logit is positive.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Accuracy {
    private Accuracy() {}

    /** The index of the largest element of row {@code row}; the first one on ties. */
    public static int argmax(Tensor output, int row) {
        int c = output.cols();
        int base = output.offset + row * c;
        float[] x = output.data;
        int best = 0;
        for (int j = 1; j < c; j++) if (x[base + j] > x[base + best]) best = j;
        return best;
    }

    /** The predicted class of sample {@code row}. */
    public static int predictedClass(Tensor output, int row) {
        if (output.cols() == 1) return output.data[output.offset + row] > 0f ? 1 : 0;
        return argmax(output, row);
    }

    /** Number of samples whose predicted class equals the label. */
    public static int correct(Tensor output, int[] labels) {
        int n = output.rows();
        if (labels.length != n) throw new IllegalArgumentException(labels.length + " labels for a batch of " + n);
        int hits = 0;
        for (int i = 0; i < n; i++) if (predictedClass(output, i) == labels[i]) hits++;
        return hits;
    }

    /** Fraction of samples classified correctly, in [0, 1]. */
    public static float of(Tensor output, int[] labels) {
        return output.rows() == 0 ? 0f : (float) correct(output, labels) / output.rows();
    }
}
