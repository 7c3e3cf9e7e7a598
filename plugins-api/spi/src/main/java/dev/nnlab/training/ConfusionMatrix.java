package dev.nnlab.training;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.loss.Accuracy;
import dev.nnlab.spi.RunSink;
import dev.nnlab.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Counts of (true class, predicted class) over a data set: row {@code i} holds the samples whose
 * label is {@code i}, column {@code j} those the model predicted as {@code j} (the prediction rule of
 * {@link Accuracy#predictedClass}). The diagonal is what the model got right; the off-diagonal cells
 * say which classes it confuses, which accuracy alone hides (a 4 read as 9, a 3 as 5).
 *
 * <p>Stored by the supervised loop on the test set as {@value #NAME}:
 * {@code {"classes": ["0", ...], "counts": [[...], ...], "total": N}}.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class ConfusionMatrix {
    public static final String NAME = "confusion_matrix.json";
    public static final String MEDIA_TYPE = "application/vnd.nnlab.confusion+json";

    private final List<String> classes;
    private final long[][] counts;

    /** An empty matrix over {@code classes}. */
    public ConfusionMatrix(List<String> classes) {
        if (classes.isEmpty()) throw new IllegalArgumentException("a confusion matrix needs at least one class");
        this.classes = List.copyOf(classes);
        this.counts = new long[classes.size()][classes.size()];
    }

    /** The model's predictions on {@code data} in evaluation mode, counted in chunks. */
    public static ConfusionMatrix of(Sequential model, LabelledData data, List<String> classes) {
        return of(model, data, classes, Evaluation.CHUNK);
    }

    /** As {@link #of(Sequential, LabelledData, List)}, in passes of at most {@code rows} rows. */
    public static ConfusionMatrix of(Sequential model, LabelledData data, List<String> classes, int rows) {
        if (rows < 1) throw new IllegalArgumentException("rows per pass must be positive, got " + rows);
        ConfusionMatrix m = new ConfusionMatrix(classes);
        int n = data.size();
        for (int from = 0; from < n; from += rows) {
            int to = Math.min(n, from + rows);
            Tensor out = model.forward(data.features().slice(from, to), false);
            for (int i = 0; i < to - from; i++) m.add(data.labels()[from + i], Accuracy.predictedClass(out, i));
        }
        return m;
    }

    /** Counts one sample. */
    public void add(int trueClass, int predictedClass) {
        int c = classes.size();
        if (trueClass < 0 || trueClass >= c || predictedClass < 0 || predictedClass >= c) {
            throw new IllegalArgumentException("class pair (" + trueClass + ", " + predictedClass + ") outside 0.." + (c - 1));
        }
        counts[trueClass][predictedClass]++;
    }

    public List<String> classes() { return classes; }

    public long count(int trueClass, int predictedClass) { return counts[trueClass][predictedClass]; }

    /** Samples counted. */
    public long total() {
        long t = 0;
        for (long[] row : counts) for (long v : row) t += v;
        return t;
    }

    /** Samples on the diagonal. */
    public long correct() {
        long t = 0;
        for (int i = 0; i < counts.length; i++) t += counts[i][i];
        return t;
    }

    public String toJson() {
        StringBuilder b = new StringBuilder("{\"classes\":[");
        for (int i = 0; i < classes.size(); i++) {
            if (i > 0) b.append(',');
            jsonString(b, classes.get(i));
        }
        b.append("],\"counts\":[");
        for (int i = 0; i < counts.length; i++) {
            if (i > 0) b.append(',');
            b.append('[');
            for (int j = 0; j < counts[i].length; j++) {
                if (j > 0) b.append(',');
                b.append(counts[i][j]);
            }
            b.append(']');
        }
        return b.append("],\"total\":").append(total()).append('}').toString();
    }

    /** Stores the matrix as the run's {@value #NAME}. */
    public void report(RunSink sink) {
        sink.artifact(NAME, MEDIA_TYPE, toJson().getBytes(StandardCharsets.UTF_8));
    }

    private static void jsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
