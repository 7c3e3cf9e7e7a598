package dev.nnlab.training;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.loss.Accuracy;
import dev.nnlab.nn.loss.Loss;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/** Mean loss and accuracy of a model in evaluation mode over a whole data set, in chunks. */
public record Evaluation(double loss, double accuracy) {
    /** Rows per forward pass: large enough for efficient GEMMs, small enough for modest memory. */
    public static final int CHUNK = 512;

    public static Evaluation of(Sequential model, Loss loss, LabelledData data) {
        int n = data.size();
        if (n == 0) return new Evaluation(Double.NaN, Double.NaN);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += CHUNK) {
            int to = Math.min(n, from + CHUNK);
            Tensor x = data.features().slice(from, to);
            int[] y = Arrays.copyOfRange(data.labels(), from, to);
            Tensor out = model.forward(x, false);
            lossSum += (double) loss.forward(out, y) * (to - from);
            correct += Accuracy.correct(out, y);
        }
        return new Evaluation(lossSum / n, (double) correct / n);
    }
}
