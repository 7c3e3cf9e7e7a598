package dev.nnlab.training;

import dev.nnlab.tensor.Tensor;

/** Test fixture: mean softmax cross-entropy over a batch and its gradient with respect to the logits. */
final class FixtureSoftmaxCrossEntropy {
    private FixtureSoftmaxCrossEntropy() {}

    /** Returns the mean loss of logits (N, K) against labels and writes dL/dlogits into {@code dlogits} (N, K). */
    static double lossAndGrad(Tensor logits, int[] labels, Tensor dlogits) {
        int n = logits.rows(), k = logits.cols();
        double loss = 0;
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) max = Math.max(max, logits.at(r * k + c));
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.exp(logits.at(r * k + c) - max);
            for (int c = 0; c < k; c++) {
                double p = Math.exp(logits.at(r * k + c) - max) / sum;
                dlogits.data[dlogits.offset + r * k + c] = (float) ((p - (c == labels[r] ? 1 : 0)) / n);
            }
            loss -= logits.at(r * k + labels[r]) - max - Math.log(sum);
        }
        return loss / n;
    }
}
