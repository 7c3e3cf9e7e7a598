package dev.nnlab.plugins.lstm;

import dev.nnlab.tensor.Tensor;

/**
 * A token stream cut as Zaremba et al. (2014) do for truncated backpropagation through time: the
 * stream is split into {@code rows} equal contiguous parts, one per batch row, and read
 * {@code bptt} tokens at a time, so that window {@code w + 1} of a row continues exactly where
 * window {@code w} stopped and the recurrent state can be carried from one to the next. Each input
 * token's target is the token after it. The remainder that does not fill a whole window is left
 * out (at most {@code rows * bptt} tokens).
 */
final class TokenWindows {
    private final int[] stream;
    private final int rows, bptt, rowLength, windows;
    private final Tensor inputs;
    private final int[] targets;

    TokenWindows(int[] stream, int rows, int bptt) {
        this.stream = stream;
        this.rows = rows;
        this.bptt = bptt;
        this.rowLength = Math.max(0, stream.length - 1) / rows;
        this.windows = rowLength / bptt;
        this.inputs = Tensor.zeros(rows, bptt);
        this.targets = new int[rows * bptt];
    }

    /** The fewest tokens a stream needs for one window of {@code bptt} in each of {@code rows} rows. */
    static long minimumTokens(int rows, int bptt) { return (long) rows * bptt + 1; }

    int count() { return windows; }

    int rows() { return rows; }

    /** Tokens predicted per window. */
    int tokensPerWindow() { return rows * bptt; }

    /** Fills {@link #inputs()} (ids as floats, {@code (rows, bptt)}) and {@link #targets()} with window {@code w}. */
    void load(int w) {
        for (int r = 0; r < rows; r++) {
            int from = r * rowLength + w * bptt;
            for (int t = 0; t < bptt; t++) {
                inputs.data[r * bptt + t] = stream[from + t];
                targets[r * bptt + t] = stream[from + t + 1];
            }
        }
    }

    Tensor inputs() { return inputs; }

    int[] targets() { return targets; }
}
