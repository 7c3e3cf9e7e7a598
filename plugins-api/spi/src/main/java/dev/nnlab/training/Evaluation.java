package dev.nnlab.training;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.loss.Accuracy;
import dev.nnlab.nn.loss.Loss;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/** Mean loss and accuracy of a model in evaluation mode over a whole data set, in chunks. Stability: evolving; the shared loop may gain steps and options (by new methods, defaults unchanged). */
public record Evaluation(double loss, double accuracy) {
    /** Rows per forward pass when the caller names none: large enough for efficient GEMMs. */
    public static final int CHUNK = 512;
    /** Fewest rows per evaluation pass, so that a batch size of 1 does not evaluate row by row. */
    public static final int MIN_ROWS = 64;

    /**
     * Rows per evaluation pass for a model trained with {@code batchSize}: no more than a training
     * batch (at least {@link #MIN_ROWS}), because layers size their buffers to the rows they last saw
     * and a larger evaluation pass would hold more activation memory than training does, beyond what
     * the planner's memory estimate allowed for.
     */
    public static int rowsPerPass(int batchSize) {
        return Math.max(batchSize, MIN_ROWS);
    }

    public static Evaluation of(Sequential model, Loss loss, LabelledData data) {
        return of(model, loss, data, CHUNK);
    }

    /** Evaluates in passes of at most {@code rows} rows. */
    public static Evaluation of(Sequential model, Loss loss, LabelledData data, int rows) {
        if (rows < 1) throw new IllegalArgumentException("rows per pass must be positive, got " + rows);
        int n = data.size();
        if (n == 0) return new Evaluation(Double.NaN, Double.NaN);
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < n; from += rows) {
            int to = Math.min(n, from + rows);
            Tensor x = data.features().slice(from, to);
            int[] y = Arrays.copyOfRange(data.labels(), from, to);
            Tensor out = model.forward(x, false);
            lossSum += (double) loss.forward(out, y) * (to - from);
            correct += Accuracy.correct(out, y);
        }
        return new Evaluation(lossSum / n, (double) correct / n);
    }
}
