package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max pooling with a 2x2 window at stride 2 and no padding, on {@code planes} planes of {@code h x w}
 * floats each (outputs {@code h/2 x w/2}, rounded down: an odd last row or column is in no window).
 *
 * <p>Forward writes each window's maximum and marks, in a {@code boolean} per <em>input</em> cell,
 * the cell that won: the first maximum in the order (0,0), (0,1), (1,0), (1,1), by the same chain of
 * strict comparisons as the scalar loop, so ties and NaNs (a NaN wins only as the first cell) come out
 * the same. Backward is then a select per input cell, {@code dx = winner ? dy : 0}, written in order
 * with no scatter and no separate zeroing pass.
 *
 * <p>SIMD: a vector of {@code L} floats of a row holds {@code L/2} windows' columns. The two rows'
 * vectors and their copies with neighbouring lanes swapped give all four cells of each window in its
 * even lane; the winners' codes go back to both lanes of the pair and are compared with the cell
 * patterns {0,1,...} and {2,3,...}. A row is covered by blocks of {@code L/2} windows, the last block
 * moved left to end at the row's end (it rewrites some windows with the same values) so that no row
 * needs a scalar tail. On 512-bit SIMD rows narrower than one block (W3's 14x14 planes: 7 windows a row, a
 * block 8) run the same block at half the width (4 windows, moved back the same way); rows narrower than
 * that, or than one block on 256-bit SIMD, run the scalar loop. Below 256-bit SIMD the whole kernel runs
 * the scalar loop.
 *
 * <p>{@link MaxPool2x2Reference} is the same in plain loops.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class MaxPool2x2 {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final boolean SIMD = VectorWidth.VECTORIZED && L >= 8;
    /** Half a vector: the outputs of one block. */
    private static final VectorSpecies<Float> HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));
    private static final int WINDOWS = L / 2;
    private static final VectorShuffle<Float> SWAP = VectorShuffle.fromOp(S, i -> i ^ 1);
    private static final VectorShuffle<Float> EVEN_TO_PAIR = VectorShuffle.fromOp(S, i -> i & ~1);
    private static final VectorShuffle<Float> EVENS_TO_FRONT = VectorShuffle.fromOp(S, i -> (2 * i) % L);
    private static final VectorShuffle<Float> FRONT_TO_PAIRS = VectorShuffle.fromOp(S, i -> i / 2);
    private static final FloatVector TOP_CELLS = FloatVector.fromArray(S, pattern(0, L), 0);
    private static final FloatVector BOTTOM_CELLS = FloatVector.fromArray(S, pattern(2, L), 0);

    // The same block at half the width, for rows of fewer windows than a full block (W3's 14x14 planes hold 7
    // per row; a 512-bit block is 8). Only from 512-bit SIMD, so that its vectors are 256 bits and its outputs
    // 128: narrower species are not compiled to SIMD on every machine. Its own constants, since the Vector API
    // compiles only with species known to C2 as constants.
    private static final boolean HALF_BLOCKS = SIMD && L >= 16;
    private static final VectorSpecies<Float> QUARTER = VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 4)));
    private static final int HALF_L = HALF.length(), HALF_WINDOWS = HALF_L / 2;
    private static final VectorShuffle<Float> H_SWAP = VectorShuffle.fromOp(HALF, i -> i ^ 1);
    private static final VectorShuffle<Float> H_EVEN_TO_PAIR = VectorShuffle.fromOp(HALF, i -> i & ~1);
    private static final VectorShuffle<Float> H_EVENS_TO_FRONT = VectorShuffle.fromOp(HALF, i -> (2 * i) % HALF_L);
    private static final VectorShuffle<Float> H_FRONT_TO_PAIRS = VectorShuffle.fromOp(HALF, i -> i / 2);
    private static final FloatVector H_TOP_CELLS = FloatVector.fromArray(HALF, pattern(0, HALF_L), 0);
    private static final FloatVector H_BOTTOM_CELLS = FloatVector.fromArray(HALF, pattern(2, HALF_L), 0);

    private MaxPool2x2() {}

    private static float[] pattern(int first, int lanes) {
        float[] p = new float[lanes];
        for (int i = 0; i < lanes; i++) p[i] = first + (i & 1);
        return p;
    }

    /**
     * {@code y[p][oh][ow] = max} of the window at rows {@code 2oh, 2oh+1}, columns {@code 2ow, 2ow+1} of plane p of x;
     * {@code winner[p][h][w]} true at the one cell each window took it from, false at every other cell of a window.
     * Cells in no window (an odd last row or column) keep their winner flag as it was.
     */
    public static void forward(int planes, int height, int width, float[] x, int xOff, float[] y, int yOff, boolean[] winner, int wOff) {
        int oh = height / 2, ow = width / 2, in = height * width;
        check(planes, height, width, x.length, xOff, y.length, yOff, winner.length, wOff);
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < oh; r++) {
                int xi = xOff + p * in + 2 * r * width, wi = wOff + p * in + 2 * r * width, yi = yOff + (p * oh + r) * ow;
                if (!SIMD || ow < WINDOWS) {
                    if (HALF_BLOCKS && ow >= HALF_WINDOWS) {
                        for (int c = 0; ; c += HALF_WINDOWS) {
                            if (c > ow - HALF_WINDOWS) c = ow - HALF_WINDOWS;
                            forwardHalfBlock(width, x, xi + 2 * c, y, yi + c, winner, wi + 2 * c);
                            if (c == ow - HALF_WINDOWS) break;
                        }
                    } else {
                        MaxPool2x2Reference.forwardRow(ow, width, x, xi, y, yi, winner, wi);
                    }
                    continue;
                }
                for (int c = 0; ; c += WINDOWS) {
                    if (c > ow - WINDOWS) c = ow - WINDOWS;
                    forwardBlock(width, x, xi + 2 * c, y, yi + c, winner, wi + 2 * c);
                    if (c == ow - WINDOWS) break;
                }
            }
        }
    }

    private static void forwardBlock(int width, float[] x, int xi, float[] y, int yi, boolean[] winner, int wi) {
        FloatVector a = FloatVector.fromArray(S, x, xi), c = FloatVector.fromArray(S, x, xi + width);
        FloatVector b = a.rearrange(SWAP), d = c.rearrange(SWAP);
        // In each even lane: a, b, c, d are the window's cells (0,0), (0,1), (1,0), (1,1).
        FloatVector zero = FloatVector.zero(S), best = a;
        VectorMask<Float> m = b.compare(VectorOperators.GT, best);
        best = best.blend(b, m);
        FloatVector code = zero.blend(1f, m);
        m = c.compare(VectorOperators.GT, best);
        best = best.blend(c, m);
        code = code.blend(2f, m);
        m = d.compare(VectorOperators.GT, best);
        best = best.blend(d, m);
        code = code.blend(3f, m).rearrange(EVEN_TO_PAIR);
        ((FloatVector) best.rearrange(EVENS_TO_FRONT).reinterpretShape(HALF, 0)).intoArray(y, yi);
        code.compare(VectorOperators.EQ, TOP_CELLS).intoArray(winner, wi);
        code.compare(VectorOperators.EQ, BOTTOM_CELLS).intoArray(winner, wi + width);
    }

    /** {@link #forwardBlock} at half the width: {@code L/4} windows. */
    private static void forwardHalfBlock(int width, float[] x, int xi, float[] y, int yi, boolean[] winner, int wi) {
        FloatVector a = FloatVector.fromArray(HALF, x, xi), c = FloatVector.fromArray(HALF, x, xi + width);
        FloatVector b = a.rearrange(H_SWAP), d = c.rearrange(H_SWAP);
        FloatVector zero = FloatVector.zero(HALF), best = a;
        VectorMask<Float> m = b.compare(VectorOperators.GT, best);
        best = best.blend(b, m);
        FloatVector code = zero.blend(1f, m);
        m = c.compare(VectorOperators.GT, best);
        best = best.blend(c, m);
        code = code.blend(2f, m);
        m = d.compare(VectorOperators.GT, best);
        best = best.blend(d, m);
        code = code.blend(3f, m).rearrange(H_EVEN_TO_PAIR);
        ((FloatVector) best.rearrange(H_EVENS_TO_FRONT).reinterpretShape(QUARTER, 0)).intoArray(y, yi);
        code.compare(VectorOperators.EQ, H_TOP_CELLS).intoArray(winner, wi);
        code.compare(VectorOperators.EQ, H_BOTTOM_CELLS).intoArray(winner, wi + width);
    }

    /**
     * {@code dx = winner ? dy} of the cell's window {@code : 0} for every cell of a window; cells in no window
     * (an odd last row or column) get 0. Writes every float of the {@code planes} planes of dx.
     */
    public static void backward(int planes, int height, int width, float[] dy, int dyOff, boolean[] winner, int wOff, float[] dx, int dxOff) {
        int oh = height / 2, ow = width / 2, in = height * width;
        check(planes, height, width, dx.length, dxOff, dy.length, dyOff, winner.length, wOff);
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < oh; r++) {
                int xi = dxOff + p * in + 2 * r * width, wi = wOff + p * in + 2 * r * width, yi = dyOff + (p * oh + r) * ow;
                if (HALF_BLOCKS && ow < WINDOWS && ow >= HALF_WINDOWS) {
                    for (int c = 0; ; c += HALF_WINDOWS) {
                        if (c > ow - HALF_WINDOWS) c = ow - HALF_WINDOWS;
                        FloatVector g = FloatVector.fromArray(QUARTER, dy, yi + c).reinterpretShape(HALF, 0).reinterpretAsFloats()
                                .rearrange(H_FRONT_TO_PAIRS);
                        FloatVector zero = FloatVector.zero(HALF);
                        zero.blend(g, VectorMask.fromArray(HALF, winner, wi + 2 * c)).intoArray(dx, xi + 2 * c);
                        zero.blend(g, VectorMask.fromArray(HALF, winner, wi + width + 2 * c)).intoArray(dx, xi + width + 2 * c);
                        if (c == ow - HALF_WINDOWS) break;
                    }
                } else if (!SIMD || ow < WINDOWS) {
                    MaxPool2x2Reference.backwardRow(ow, width, dy, yi, winner, wi, dx, xi);
                } else {
                    for (int c = 0; ; c += WINDOWS) {
                        if (c > ow - WINDOWS) c = ow - WINDOWS;
                        FloatVector g = FloatVector.fromArray(HALF, dy, yi + c).reinterpretShape(S, 0).reinterpretAsFloats()
                                .rearrange(FRONT_TO_PAIRS);
                        FloatVector zero = FloatVector.zero(S);
                        zero.blend(g, VectorMask.fromArray(S, winner, wi + 2 * c)).intoArray(dx, xi + 2 * c);
                        zero.blend(g, VectorMask.fromArray(S, winner, wi + width + 2 * c)).intoArray(dx, xi + width + 2 * c);
                        if (c == ow - WINDOWS) break;
                    }
                }
                if ((width & 1) != 0) {
                    dx[xi + width - 1] = 0f;
                    dx[xi + 2 * width - 1] = 0f;
                }
            }
            if ((height & 1) != 0) {
                int last = dxOff + p * in + (height - 1) * width;
                java.util.Arrays.fill(dx, last, last + width, 0f);
            }
        }
    }

    static void check(int planes, int height, int width, int inLength, int inOff, int outLength, int outOff, int winLength, int winOff) {
        if (planes < 0 || height < 2 || width < 2) {
            throw new IllegalArgumentException("2x2 max pool needs planes >= 0 and planes of at least 2x2, got "
                    + planes + " planes of " + height + "x" + width);
        }
        long in = (long) planes * height * width, out = (long) planes * (height / 2) * (width / 2);
        if (inOff < 0 || inOff + in > inLength) throw new IndexOutOfBoundsException("input: " + in + " floats at " + inOff + " do not fit " + inLength);
        if (outOff < 0 || outOff + out > outLength) throw new IndexOutOfBoundsException("output: " + out + " floats at " + outOff + " do not fit " + outLength);
        if (winOff < 0 || winOff + in > winLength) throw new IndexOutOfBoundsException("winner: " + in + " flags at " + winOff + " do not fit " + winLength);
    }
}
