package dev.nnlab.nn.loss;

import dev.nnlab.kernels.SoftmaxNarrowRows;
import dev.nnlab.kernels.VectorOps;
import dev.nnlab.tensor.Tensor;

/**
 * Softmax followed by cross-entropy, fused: {@code L = (1/N) sum_i (logsumexp(x_i) - x_i[y_i])},
 * with gradient {@code (softmax(x) - onehot(y)) / N}.
 *
 * <p>Fusing is what makes it stable: the log-sum-exp is shifted by the row max, and the loss is
 * never computed as {@code -log(softmax)}, which underflows to {@code -log(0) = inf} once a wrong
 * class leads by about 100 (float32). Logits of magnitude 1e3 give a finite loss and gradient.
 *
 * <p>With a target tensor {@code T} of shape {@code (N, C)} (a distribution per row, e.g. label
 * smoothing) the loss is {@code (1/N) sum_i sum_c T[i,c] (logsumexp(x_i) - x_i[c])} and the
 * gradient {@code (rowsum(T) * softmax(x) - T) / N}, which is {@code (softmax - T)/N} for rows summing to 1.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class SoftmaxCrossEntropy implements DenseTargetLoss {
    public static final String NAME = "cross_entropy";

    private Tensor probs;
    private Tensor grad;
    private float[] rowMax = new float[0];
    private double[] logSum = new double[0];

    @Override
    public float forward(Tensor output, int[] labels) {
        int n = output.rows(), c = output.cols();
        LossBuffers.checkLabels(NAME, output, labels, c);
        float[] x = output.data;
        int xo = output.offset;
        float invN = 1f / n;
        int done = prepare(output, labels, invN);
        double total = 0;
        float[] g = grad.data, p = probs.data;
        for (int i = 0; i < n; i++) total += ((double) rowMax[i] - x[xo + i * c + labels[i]]) + logSum[i];
        for (int i = done; i < n; i++) {
            for (int j = 0; j < c; j++) g[i * c + j] = p[i * c + j] * invN;
            g[i * c + labels[i]] -= invN;
        }
        return (float) (total / n);
    }

    @Override
    public float forward(Tensor output, Tensor target) {
        LossBuffers.checkTarget(NAME, output, target);
        int n = output.rows(), c = output.cols();
        float[] x = output.data, t = target.data;
        int xo = output.offset, to = target.offset;
        prepare(output, null, 0f);
        double total = 0;
        float invN = 1f / n;
        float[] g = grad.data, p = probs.data;
        for (int i = 0; i < n; i++) {
            double rowTarget = 0;
            for (int j = 0; j < c; j++) {
                float tij = t[to + i * c + j];
                rowTarget += tij;
                total += tij * (((double) rowMax[i] - x[xo + i * c + j]) + logSum[i]);
            }
            for (int j = 0; j < c; j++) {
                g[i * c + j] = (float) ((rowTarget * p[i * c + j] - t[to + i * c + j]) * invN);
            }
        }
        return (float) (total / n);
    }

    /**
     * Fills {@code probs} and, per row, the shift {@code m = max_c x[i,c]} and {@code log sum_c exp(x[i,c] - m)}.
     * Keeping the two apart (rather than storing {@code logsumexp} as one float) keeps the loss
     * {@code (m - x_y) + log(sum)} accurate when the logits are large and the loss is small.
     * With labels, also the gradient {@code (p - onehot) * invN} of the rows it returns as done
     * (the first ones: classes narrower than a vector go through {@link SoftmaxNarrowRows} in blocks).
     */
    private int prepare(Tensor output, int[] labels, float invN) {
        int n = output.rows(), c = output.cols();
        probs = LossBuffers.reuse(probs, output);
        grad = LossBuffers.reuse(grad, output);
        if (rowMax.length != n) {
            rowMax = new float[n];
            logSum = new double[n];
        }
        float[] x = output.data, p = probs.data;
        int done = SoftmaxNarrowRows.softmax(n, c, x, output.offset, p, 0, rowMax, logSum, labels, invN, grad.data, 0);
        for (int i = 0; i < done; i++) logSum[i] = Math.log(logSum[i]);
        for (int i = done; i < n; i++) {
            int row = output.offset + i * c;
            float m = VectorOps.max(c, x, row);
            // The terms on vectors (10 scalar Math.exp calls a row were a tenth of a W1 step), summed in double:
            // with a confident row the terms other than 1 are tiny, and a float sum would drop them from log(sum).
            VectorOps.expShifted(c, x, row, m, p, i * c);
            double s = 0;
            for (int j = 0; j < c; j++) s += p[i * c + j];
            VectorOps.scale(c, (float) (1.0 / s), p, i * c);
            rowMax[i] = m;
            logSum[i] = Math.log(s);
        }
        return done;
    }

    @Override
    public Tensor backward() { return LossBuffers.requireForward(NAME, grad); }

    /** The softmax probabilities {@code (N, C)} of the most recent forward (loss-owned, reused). */
    public Tensor probabilities() { return LossBuffers.requireForward(NAME, probs); }

    /** The most probable class of sample {@code row} in the most recent forward. */
    public int predictedClass(int row) { return Accuracy.argmax(probabilities(), row); }

    @Override
    public String name() { return NAME; }
}
