package dev.nnlab.kernels;

/**
 * {@link MaxPool2x2} in plain loops: what the SIMD kernel is tested against, and what it runs on
 * rows narrower than one of its blocks.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class MaxPool2x2Reference {
    private MaxPool2x2Reference() {}

    /** {@link MaxPool2x2#forward} in loops. */
    public static void forward(int planes, int height, int width, float[] x, int xOff, float[] y, int yOff, boolean[] winner, int wOff) {
        MaxPool2x2.check(planes, height, width, x.length, xOff, y.length, yOff, winner.length, wOff);
        int oh = height / 2, ow = width / 2, in = height * width;
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < oh; r++) {
                int rowStart = p * in + 2 * r * width;
                forwardRow(ow, width, x, xOff + rowStart, y, yOff + (p * oh + r) * ow, winner, wOff + rowStart);
            }
        }
    }

    /** {@link MaxPool2x2#backward} in loops. */
    public static void backward(int planes, int height, int width, float[] dy, int dyOff, boolean[] winner, int wOff, float[] dx, int dxOff) {
        MaxPool2x2.check(planes, height, width, dx.length, dxOff, dy.length, dyOff, winner.length, wOff);
        int oh = height / 2, ow = width / 2, in = height * width;
        java.util.Arrays.fill(dx, dxOff, dxOff + planes * in, 0f);
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < oh; r++) {
                int rowStart = p * in + 2 * r * width;
                backwardRow(ow, width, dy, dyOff + (p * oh + r) * ow, winner, wOff + rowStart, dx, dxOff + rowStart);
            }
        }
    }

    /** The {@code ow} windows of one pair of rows starting at x[xi] (rows {@code width} apart). */
    static void forwardRow(int ow, int width, float[] x, int xi, float[] y, int yi, boolean[] winner, int wi) {
        for (int c = 0; c < ow; c++) {
            int i0 = xi + 2 * c, i1 = i0 + width;
            // The first maximum wins: strict comparisons, so a later equal cell (or a NaN) never does.
            float best = x[i0];
            int cell = 0;
            if (x[i0 + 1] > best) { best = x[i0 + 1]; cell = 1; }
            if (x[i1] > best) { best = x[i1]; cell = 2; }
            if (x[i1 + 1] > best) { best = x[i1 + 1]; cell = 3; }
            y[yi + c] = best;
            int w0 = wi + 2 * c, w1 = w0 + width;
            winner[w0] = cell == 0;
            winner[w0 + 1] = cell == 1;
            winner[w1] = cell == 2;
            winner[w1 + 1] = cell == 3;
        }
    }

    /** dx for the {@code ow} windows of one pair of rows. */
    static void backwardRow(int ow, int width, float[] dy, int yi, boolean[] winner, int wi, float[] dx, int xi) {
        for (int c = 0; c < ow; c++) {
            float g = dy[yi + c];
            for (int k = 0; k < 2; k++) {
                int at = 2 * c + k;
                dx[xi + at] = winner[wi + at] ? g : 0f;
                dx[xi + width + at] = winner[wi + width + at] ? g : 0f;
            }
        }
    }
}
