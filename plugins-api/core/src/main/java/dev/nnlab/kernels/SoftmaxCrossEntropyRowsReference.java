package dev.nnlab.kernels;

/**
 * The scalar twin of {@link SoftmaxCrossEntropyRows}, in double throughout, that tests compare the
 * vector kernel against (and the kernel falls back on when vectors are off).
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class SoftmaxCrossEntropyRowsReference {
    private SoftmaxCrossEntropyRowsReference() {}

    /** As {@link SoftmaxCrossEntropyRows#lossAndGradient}. */
    public static SoftmaxCrossEntropyRows.Totals lossAndGradient(int rows, int cols, float[] x, int xOff, int[] targets, int ignore,
                                                                 float scale, float[] g, int gOff) {
        double loss = 0;
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int xo = xOff + r * cols, go = gOff + r * cols, y = targets[r];
            if (y == ignore) {
                java.util.Arrays.fill(g, go, go + cols, 0f);
                continue;
            }
            float m = x[xo];
            int best = 0;
            for (int c = 1; c < cols; c++) {
                if (x[xo + c] > m) {
                    m = x[xo + c];
                    best = c;
                }
            }
            double s = 0;
            for (int c = 0; c < cols; c++) s += Math.exp((double) x[xo + c] - m);
            loss += ((double) m - x[xo + y]) + Math.log(s);
            if (best == y) correct++;
            for (int c = 0; c < cols; c++) g[go + c] = (float) (Math.exp((double) x[xo + c] - m) / s * scale);
            g[go + y] -= scale;
        }
        return new SoftmaxCrossEntropyRows.Totals(loss, correct);
    }
}
