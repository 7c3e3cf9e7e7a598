package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Conv3x3Stride2} on 16-lane vectors for even sides whose output image is whole tiles of 4 vectors
 * (ResNet's 32x32 to 16x16 and 16x16 to 8x8), with outputs written straight into the images in the register tile
 * of {@link Conv3x3Wide} (4 output channels x 4 vectors).
 *
 * <p>{@link Conv3x3Stride2}'s phase planes have rows OW + 1 wide, so its flat outputs carry a thrown-away column
 * per row (12.5% of the work at 16x16, 50% at 8x8 once rounded to whole tiles), need a crop, and its input
 * gradient computes OH + 1 rows per phase. Here every input channel is split into six <em>tap planes</em>
 * {@code plane(a, j)[r][ow] = P[2r + a][2ow + j]} ({@code P} the zero-padded input, a the row parity, j the column
 * tap; r in [0, OH]): rows exactly OW wide, so tap (i, j) of output pixel q = oh OW + ow reads
 * {@code plane(i % 2, j)[q + (i / 2) OW]}, a run along the image's own pixel order. The output gradient is kept in
 * two <em>gradient planes</em> per filter, {@code g(s)[u][v] = dy[u][v + s]} for s = 0, 1 (zero past the image,
 * one zero row after it), and the input gradient of phase (a, b) (pixels {@code dx[2u + 1 - a][2v + 1 - b]}) reads
 * {@code g((1 - b) - j / 2)[q + ((1 - a) - i / 2) OW]}.
 *
 * <p>Forward and the input gradient add the same terms in the same order as {@link Conv3x3Stride2}'s (same packed
 * weights, bias first, then the taps), so they give the same bits. The weight gradient sums along the planes of a
 * group of samples in another order.
 *
 * <p>Their register tiles compute the taps' offsets in the loop (as {@link Conv3x3Wide}'s stride-1 tile) rather than
 * reading a table; the split, the shifted gradient plane and the merge of the four input-gradient phases
 * ({@link #mergeAll}) move whole vectors (two-vector shuffles, masked loads) rather than single floats; the weight
 * gradient's 18 sums are reduced in registers ({@link GradientTile2x9}). One thread, thread CPU time,
 * batch 128, 512 bits, under load ({@code ResNetLayerSpeed 25 s2}, medians of 3): 16 x 32x32 to 32 forward 3.9 to
 * 3.0 ms, backward 9.6 to 7.1 ms; 32 x 16x16 to 64 forward 3.2 to 2.4 ms, backward 9.8 to 6.5 ms.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Conv3x3Stride2Wide {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final int BLOCK = Conv3x3.BLOCK;
    /** Where each phase's weights start in {@link Conv3x3Stride2#packInputGradient}'s array, in units of cin cout. */
    private static final int[] PHASE_START = {0, 4, 6, 8};

    private Conv3x3Stride2Wide() {}

    /** True when this class runs a 3x3 stride-2 window on an image (h, w): 16 lanes, even sides, an output of whole 4-vector tiles. */
    public static boolean fits(int height, int width) {
        if (L < 16 || height < 2 || width < 2 || height % 2 != 0 || width % 2 != 0) return false;
        return (height / 2) * (width / 2) % (4 * L) == 0;
    }

    /** Floats per tap plane and per gradient plane: OH + 1 rows of OW, in whole vectors. */
    public static int planeStride(int height, int width) {
        return roundUp((height / 2 + 1) * (width / 2), L);
    }

    /** Floats an array needs after its last plane: the weight gradient's shifted reads run one output row past it. */
    public static int tailFloats(int width) {
        return width / 2;
    }

    /**
     * Writes {@code channels} images {@code (h, w)} into tap planes: {@code plane(a, j)} of channel c at
     * {@code dst[dstOff + (6 c + 3 a + j) channelStride ...]}, every one of its (OH + 1) OW floats (zeros where it reads
     * padding); the floats after them up to {@link #planeStride} are not touched.
     */
    public static void split(int channels, int height, int width, float[] src, int srcOff, float[] dst, int dstOff, int channelStride) {
        check(height, width);
        int oh = height / 2, ow = width / 2, ps = planeStride(height, width);
        if (channelStride < ps) throw new IllegalArgumentException("channel stride " + channelStride + " is less than " + ps);
        Conv3x3Wide.checkRange("src", src, srcOff, channels * height * width);
        Conv3x3Wide.checkRange("dst", dst, dstOff, (6 * channels - 1) * channelStride + ps);
        for (int c = 0; c < channels; c++) {
            for (int a = 0; a < 2; a++) {
                int p0 = dstOff + (6 * c + 3 * a) * channelStride, p1 = p0 + channelStride, p2 = p1 + channelStride;
                // Row r reads image row h = 2r + a - 1: rows 1 to OH for a = 0 (row 0 is padding), 0 to OH - 1 for a = 1.
                int pad = a == 0 ? 0 : oh * ow, first = (1 - a) * ow, row = srcOff + (c * height + 1 - a) * width;
                java.util.Arrays.fill(dst, p0 + pad, p0 + pad + ow, 0f);
                java.util.Arrays.fill(dst, p1 + pad, p1 + pad + ow, 0f);
                java.util.Arrays.fill(dst, p2 + pad, p2 + pad + ow, 0f);
                if (ow % L == 0) {
                    splitRows(oh, ow, width, src, row, dst, p0 + first, p1 + first, p2 + first);
                    continue;
                }
                if (2 * ow == L && oh % 2 == 0) {
                    splitRowPairs(oh, width, src, row, dst, p0 + first, p1 + first, p2 + first);
                    continue;
                }
                for (int r = 0; r < oh; r++, row += 2 * width) {
                    int d = first + r * ow;
                    // plane(a, j)[r][k] = x[h][2k + j - 1]: j = 1 reads the even columns, j = 0 and 2 the odd ones.
                    dst[p0 + d] = 0f;
                    for (int k = 0; k < ow; k++) {
                        float even = src[row + 2 * k], odd = src[row + 2 * k + 1];
                        dst[p1 + d + k] = even;
                        dst[p2 + d + k] = odd;
                        if (k + 1 < ow) dst[p0 + d + k + 1] = odd;
                    }
                }
            }
        }
    }

    /*
     * The split and the merge move floats between an image's columns and its phases with two-vector selects
     * (one permute each on AVX-512; constant shuffles, as selectFrom with an index vector
     * ran at about half the speed) instead of a float at a time: the scalar split was about as much time as the
     * forward tile it feeds (JFR of W4).
     */

    /**
     * {@code oh} input rows (every other row from {@code row}) of whole vectors of output columns into rows of the
     * three tap planes: even columns, odd columns, and odd columns one place right.
     */
    private static void splitRows(int oh, int ow, int width, float[] src, int row, float[] dst, int d0, int d1, int d2) {
        VectorShuffle<Float> evens = EVENS, odds = ODDS, back = BACK_ONE;
        FloatVector zero = FloatVector.zero(S);
        for (int r = 0, d = 0; r < oh; r++, row += 2 * width, d += ow) {
            FloatVector prev = zero;
            for (int k = 0; k < ow; k += L) {
                FloatVector v0 = FloatVector.fromArray(S, src, row + 2 * k), v1 = FloatVector.fromArray(S, src, row + 2 * k + L);
                FloatVector odd = v0.rearrange(odds, v1);
                v0.rearrange(evens, v1).intoArray(dst, d1 + d + k);
                odd.intoArray(dst, d2 + d + k);
                prev.rearrange(back, odd).intoArray(dst, d0 + d + k);
                prev = odd;
            }
        }
    }

    /** {@link #splitRows} for half a vector of output columns: rows r and r + 1 of each tap plane in one vector. */
    private static void splitRowPairs(int oh, int width, float[] src, int row, float[] dst, int d0, int d1, int d2) {
        VectorShuffle<Float> evens = EVENS, odds = ODDS, back = HALVES_BACK_ONE;
        for (int r = 0, d = 0; r < oh; r += 2, row += 4 * width, d += L) {
            FloatVector v0 = FloatVector.fromArray(S, src, row), v1 = FloatVector.fromArray(S, src, row + 2 * width);
            v0.rearrange(evens, v1).intoArray(dst, d1 + d);
            v0.rearrange(odds, v1).intoArray(dst, d2 + d);
            v0.rearrange(back, v1).blend(0f, HALF_STARTS).intoArray(dst, d0 + d);
        }
    }

    /** Lane i of a two-vector rearrange takes lane {@code f(i)} of its two inputs one after the other. */
    static VectorShuffle<Float> selector(java.util.function.IntUnaryOperator f) {
        // Indices of the second input are exceptional ones, L below theirs (fromOp wraps them so).
        return VectorShuffle.fromOp(S, i -> Math.floorMod(f.applyAsInt(i), 2 * L));
    }

    static final VectorShuffle<Float> EVENS = selector(i -> 2 * i), ODDS = selector(i -> 2 * i + 1);
    /** The last lane of the first input, then the second's first L - 1. */
    private static final VectorShuffle<Float> BACK_ONE = selector(i -> L - 1 + i);
    /** Odd columns one place right within each half (the first lane of each half is masked to zero). */
    private static final VectorShuffle<Float> HALVES_BACK_ONE = selector(i -> 2 * i - 1);
    private static final VectorMask<Float> HALF_STARTS = VectorMask.fromLong(S, L >= 2 ? 1L | 1L << (L / 2) : 1L);
    /** Interleaves of two inputs: lanes 0, L, 1, L + 1, ... and from the middle of both on. */
    static final VectorShuffle<Float> ZIP_LO = selector(i -> i % 2 == 0 ? i / 2 : L + i / 2);
    static final VectorShuffle<Float> ZIP_HI = selector(i -> i % 2 == 0 ? L / 2 + i / 2 : L + L / 2 + i / 2);

    /**
     * Writes {@code filters} output gradients {@code (OH, OW)} into gradient planes: {@code g(s)} of filter f at
     * {@code dst[dstOff + (2 f + s) channelStride ...]}, every one of its (OH + 1) OW floats; the floats after them up to
     * {@link #planeStride} must be zero (they are read by the weight gradient) and are not touched.
     */
    public static void padGradient(int filters, int height, int width, float[] src, int srcOff, float[] dst, int dstOff, int channelStride) {
        check(height, width);
        int oh = height / 2, ow = width / 2, pixels = oh * ow, ps = planeStride(height, width);
        if (channelStride < ps) throw new IllegalArgumentException("channel stride " + channelStride + " is less than " + ps);
        Conv3x3Wide.checkRange("src", src, srcOff, filters * pixels);
        Conv3x3Wide.checkRange("dst", dst, dstOff, (2 * filters - 1) * channelStride + ps);
        for (int f = 0; f < filters; f++) {
            int s = srcOff + f * pixels, g0 = dstOff + 2 * f * channelStride, g1 = g0 + channelStride;
            System.arraycopy(src, s, dst, g0, pixels);
            java.util.Arrays.fill(dst, g0 + pixels, g0 + pixels + ow, 0f);
            java.util.Arrays.fill(dst, g1 + pixels, g1 + pixels + ow, 0f);
            int q = 0;
            if (ow % L == 0 || L % ow == 0) {
                // Vectors of the image moved one float left, the last column of each row zero: a load that skips the
                // row ends, which are the same lanes in every vector when rows are whole parts of one, else only the
                // last lane of a row's last vector. That load never reads past the image. (An arraycopy per row was
                // 2.5 us per sample at 64 filters of 8x8.)
                long ends = 0;
                for (int i = 0; i < L; i++) if ((ow >= L ? i + ow - L : i % ow) == ow - 1) ends |= 1L << i;
                VectorMask<Float> keep = VectorMask.fromLong(S, ends).not();
                for (; q < pixels; q += L) {
                    if (ow > L && (q + L) % ow != 0) FloatVector.fromArray(S, src, s + q + 1).intoArray(dst, g1 + q);
                    else FloatVector.fromArray(S, src, s + q + 1, keep).intoArray(dst, g1 + q);
                }
            }
            for (; q < pixels; q++) dst[g1 + q] = q % ow == ow - 1 ? 0f : src[s + q + 1];
        }
    }

    /**
     * {@code y[f][q] = bias[f] + sum_{c,i,j} W[f][c][i][j] plane(c, i % 2, j)[q + (i / 2) OW]}, the output images
     * {@code (cout, OH, OW)} at yOff; {@code x} holds the tap planes of {@link #split} {@code channelStride} apart,
     * {@code packed} comes from {@link Conv3x3Stride2#packForward}, bias may be null.
     */
    public static void forward(int cin, int cout, int height, int width, float[] packed, float[] bias, int biasOff,
                               float[] x, int xOff, int channelStride, float[] y, int yOff) {
        check(height, width);
        int ow = width / 2, ps = planeStride(height, width);
        if (channelStride < ps) throw new IllegalArgumentException("channel stride " + channelStride + " is less than " + ps);
        Conv3x3Wide.checkRange("x", x, xOff, (6 * cin - 1) * channelStride + ps);
        int pixels = (height / 2) * ow, full = cout / BLOCK * BLOCK;
        Conv3x3Wide.checkRange("packed", packed, 0, cout * cin * 9);
        Conv3x3Wide.checkRange("y", y, yOff, cout * pixels);
        if (bias != null) Conv3x3Wide.checkRange("bias", bias, biasOff, cout);
        for (int o = 0; o < full; o += BLOCK) {
            float b0 = bias == null ? 0f : bias[biasOff + o], b1 = bias == null ? 0f : bias[biasOff + o + 1];
            float b2 = bias == null ? 0f : bias[biasOff + o + 2], b3 = bias == null ? 0f : bias[biasOff + o + 3];
            for (int q = 0; q < pixels; q += 4 * L) {
                forward4x4(cin, channelStride, ow, packed, o * cin * 9, b0, b1, b2, b3, x, xOff + q, y, yOff + o * pixels + q, pixels);
            }
        }
        if (full == cout) return;
        int[] taps = new int[cin * 9];
        for (int c = 0; c < cin; c++) {
            for (int t = 0; t < 9; t++) {
                int i = t / 3, j = t % 3;
                taps[c * 9 + t] = (6 * c + 3 * (i % 2) + j) * channelStride + i / 2 * ow;
            }
        }
        for (int o = full; o < cout; o++) {
            float b = bias == null ? 0f : bias[biasOff + o];
            for (int q = 0; q < pixels; q += 2 * L) Conv3x3.forward1x2(taps, packed, o * cin * 9, b, x, xOff + q, L, y, yOff + o * pixels + q);
        }
    }

    /**
     * The forward tile (4 outputs x 4 vectors) with the taps of {@code cin} channels' tap planes computed in the loop
     * rather than read from a table, as {@link Conv3x3Wide}'s stride-1 tile: the same loads and FMAs in the same order.
     */
    private static void forward4x4(int cin, int cs, int ow, float[] w, int wi, float b0, float b1, float b2, float b3,
                                   float[] x, int xq, float[] y, int yq, int ys) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10, a13 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20, a23 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30, a33 = a30;
        for (int c = 0; c < cin; c++) {
            int base = xq + 6 * c * cs;
            for (int i = 0; i < 3; i++) {
                // Tap row i reads plane(i % 2, j), one output row further down for i = 2.
                int row = base + (i == 1 ? 3 * cs : i == 2 ? ow : 0);
                for (int j = 0; j < 3; j++, wi += BLOCK) {
                    int xa = row + j * cs;
                    FloatVector x0 = FloatVector.fromArray(S, x, xa);
                    FloatVector x1 = FloatVector.fromArray(S, x, xa + L);
                    FloatVector x2 = FloatVector.fromArray(S, x, xa + 2 * L);
                    FloatVector x3 = FloatVector.fromArray(S, x, xa + 3 * L);
                    FloatVector v = FloatVector.broadcast(S, w[wi]);
                    a00 = x0.fma(v, a00); a01 = x1.fma(v, a01); a02 = x2.fma(v, a02); a03 = x3.fma(v, a03);
                    v = FloatVector.broadcast(S, w[wi + 1]);
                    a10 = x0.fma(v, a10); a11 = x1.fma(v, a11); a12 = x2.fma(v, a12); a13 = x3.fma(v, a13);
                    v = FloatVector.broadcast(S, w[wi + 2]);
                    a20 = x0.fma(v, a20); a21 = x1.fma(v, a21); a22 = x2.fma(v, a22); a23 = x3.fma(v, a23);
                    v = FloatVector.broadcast(S, w[wi + 3]);
                    a30 = x0.fma(v, a30); a31 = x1.fma(v, a31); a32 = x2.fma(v, a32); a33 = x3.fma(v, a33);
                }
            }
        }
        a00.intoArray(y, yq); a01.intoArray(y, yq + L); a02.intoArray(y, yq + 2 * L); a03.intoArray(y, yq + 3 * L);
        yq += ys;
        a10.intoArray(y, yq); a11.intoArray(y, yq + L); a12.intoArray(y, yq + 2 * L); a13.intoArray(y, yq + 3 * L);
        yq += ys;
        a20.intoArray(y, yq); a21.intoArray(y, yq + L); a22.intoArray(y, yq + 2 * L); a23.intoArray(y, yq + 3 * L);
        yq += ys;
        a30.intoArray(y, yq); a31.intoArray(y, yq + L); a32.intoArray(y, yq + 2 * L); a33.intoArray(y, yq + 3 * L);
    }

    /**
     * Input gradient of phase {@code ph = 2a + b}: {@code out[c][u OW + v] = dx[c][2u + 1 - a][2v + 1 - b]} for the
     * OH x OW pixels of that parity, from the gradient planes of {@link #padGradient} {@code channelStride} apart;
     * {@code packed} comes from {@link Conv3x3Stride2#packInputGradient}. {@link #merge} puts it into dx.
     */
    public static void inputGradient(int ph, int cin, int cout, int height, int width, float[] packed,
                                     float[] dy, int dyOff, int channelStride, float[] out, int outOff) {
        check(height, width);
        int ow = width / 2, ps = planeStride(height, width), a = ph >> 1, b = ph & 1;
        if (channelStride < ps) throw new IllegalArgumentException("channel stride " + channelStride + " is less than " + ps);
        Conv3x3Wide.checkRange("dy", dy, dyOff, (2 * cout - 1) * channelStride + ps);
        int pixels = (height / 2) * ow, full = cin / BLOCK * BLOCK, n = (2 - a) * (2 - b), p0 = PHASE_START[ph] * cin * cout;
        Conv3x3Wide.checkRange("packed", packed, p0, cin * cout * n);
        Conv3x3Wide.checkRange("out", out, outOff, cin * pixels);
        for (int o = 0; o < full; o += BLOCK) {
            for (int q = 0; q < pixels; q += 4 * L) {
                gradient4x4(a, b, cout, channelStride, ow, packed, p0 + o * cout * n, dy, dyOff + q, out, outOff + o * pixels + q, pixels);
            }
        }
        if (full == cin) return;
        int[] pt = Conv3x3Stride2.phaseTaps(ph);
        int[] taps = new int[cout * n];
        for (int f = 0; f < cout; f++) {
            for (int k = 0; k < n; k++) {
                int i = pt[k] / 3, j = pt[k] % 3;
                taps[f * n + k] = (2 * f + (1 - b) - j / 2) * channelStride + ((1 - a) - i / 2) * ow;
            }
        }
        for (int o = full; o < cin; o++) {
            int w0 = p0 + o * cout * n;
            for (int q = 0; q < pixels; q += 2 * L) Conv3x3.forward1x2(taps, packed, w0, 0f, dy, dyOff + q, L, out, outOff + o * pixels + q);
        }
    }

    /**
     * The input-gradient tile of phase (a, b), 4 input channels x 4 vectors, with its taps computed in the loop: per
     * filter, tap (i, j) reads {@code g((1 - b) - j / 2)} at {@code ((1 - a) - i / 2) OW}, that is rows i = 0, 2 (a = 0)
     * or i = 1 (a = 1) and columns j = 0, 2 (b = 0) or j = 1 (b = 1), whose first is one plane (column) or one
     * output row (row) further than the second. The same FMAs in the same order as a tap table in t = 3i + j order.
     */
    private static void gradient4x4(int a, int b, int cout, int cs, int ow, float[] w, int wi,
                                    float[] x, int xq, float[] y, int yq, int ys) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        // Per filter, the taps in t order: rows i = 0, 2 (a = 0: one output row apart) or 1, columns j = 0, 2 (b = 0: one plane apart) or 1.
        int n = (2 - a) * (2 - b), r = a == 0 ? ow : 0, col = b == 0 ? cs : 0;
        int o0 = r + col, o1 = b == 0 ? r : 0, o2 = col, o3 = 0;
        for (int f = 0, base = xq; f < cout; f++, base += 2 * cs) {
            for (int k = 0; k < 4; k++, wi += BLOCK) {
                if (k == n) break;
                int xa = base + (k == 0 ? o0 : k == 1 ? o1 : k == 2 ? o2 : o3);
                FloatVector x0 = FloatVector.fromArray(S, x, xa);
                FloatVector x1 = FloatVector.fromArray(S, x, xa + L);
                FloatVector x2 = FloatVector.fromArray(S, x, xa + 2 * L);
                FloatVector x3 = FloatVector.fromArray(S, x, xa + 3 * L);
                FloatVector v = FloatVector.broadcast(S, w[wi]);
                a00 = x0.fma(v, a00); a01 = x1.fma(v, a01); a02 = x2.fma(v, a02); a03 = x3.fma(v, a03);
                v = FloatVector.broadcast(S, w[wi + 1]);
                a10 = x0.fma(v, a10); a11 = x1.fma(v, a11); a12 = x2.fma(v, a12); a13 = x3.fma(v, a13);
                v = FloatVector.broadcast(S, w[wi + 2]);
                a20 = x0.fma(v, a20); a21 = x1.fma(v, a21); a22 = x2.fma(v, a22); a23 = x3.fma(v, a23);
                v = FloatVector.broadcast(S, w[wi + 3]);
                a30 = x0.fma(v, a30); a31 = x1.fma(v, a31); a32 = x2.fma(v, a32); a33 = x3.fma(v, a33);
            }
        }
        a00.intoArray(y, yq); a01.intoArray(y, yq + L); a02.intoArray(y, yq + 2 * L); a03.intoArray(y, yq + 3 * L);
        yq += ys;
        a10.intoArray(y, yq); a11.intoArray(y, yq + L); a12.intoArray(y, yq + 2 * L); a13.intoArray(y, yq + 3 * L);
        yq += ys;
        a20.intoArray(y, yq); a21.intoArray(y, yq + L); a22.intoArray(y, yq + 2 * L); a23.intoArray(y, yq + 3 * L);
        yq += ys;
        a30.intoArray(y, yq); a31.intoArray(y, yq + L); a32.intoArray(y, yq + 2 * L); a33.intoArray(y, yq + 3 * L);
    }

    /** Puts phase {@code ph = 2a + b} of {@link #inputGradient} into dx: {@code dx[c][2u + 1 - a][2v + 1 - b] = out[c][u][v]}. */
    public static void merge(int ph, int channels, int height, int width, float[] out, int outOff, float[] dx, int dxOff) {
        check(height, width);
        int oh = height / 2, ow = width / 2, a = ph >> 1, b = ph & 1;
        Conv3x3Wide.checkRange("out", out, outOff, channels * oh * ow);
        Conv3x3Wide.checkRange("dx", dx, dxOff, channels * height * width);
        for (int c = 0; c < channels; c++) {
            for (int u = 0; u < oh; u++) {
                int s = outOff + (c * oh + u) * ow, d = dxOff + (c * height + 2 * u + 1 - a) * width + 1 - b;
                for (int v = 0; v < ow; v++) dx[d + 2 * v] = out[s + v];
            }
        }
    }

    /**
     * {@link #merge} of all four phases at once: phase ph of channel c at {@code out[outOff + (ph channels + c) OH OW]}.
     * Each row of dx is its two phases of that row parity interleaved, two vectors of a phase at a time.
     */
    public static void mergeAll(int channels, int height, int width, float[] out, int outOff, float[] dx, int dxOff) {
        check(height, width);
        int oh = height / 2, ow = width / 2, pixels = oh * ow, planes = channels * pixels;
        Conv3x3Wide.checkRange("out", out, outOff, 4 * planes);
        Conv3x3Wide.checkRange("dx", dx, dxOff, channels * height * width);
        if (ow % L != 0 && 2 * ow != L) {
            for (int ph = 0; ph < 4; ph++) merge(ph, channels, height, width, out, outOff + ph * planes, dx, dxOff);
            return;
        }
        for (int c = 0; c < channels; c++) {
            for (int a = 0; a < 2; a++) {
                // Row 2u + 1 - a: phase (a, 1) holds its even columns, phase (a, 0) its odd ones.
                int evens = outOff + (2 * a + 1) * planes + c * pixels, odds = outOff + 2 * a * planes + c * pixels;
                int d = dxOff + (c * height + 1 - a) * width;
                for (int q = 0; q < pixels; q += L) {
                    FloatVector e = FloatVector.fromArray(S, out, evens + q), o = FloatVector.fromArray(S, out, odds + q);
                    // q = u OW + v: dx[2u + 1 - a][2v], and the next L/2 pairs; with half-vector rows that is row u + 1.
                    int at = d + (q / ow) * 2 * width + 2 * (q % ow);
                    e.rearrange(ZIP_LO, o).intoArray(dx, at);
                    e.rearrange(ZIP_HI, o).intoArray(dx, ow == L / 2 ? at + 2 * width : at + L);
                }
            }
        }
    }

    /**
     * {@code dw[f][c][3i + j] += sum_{q < samples planeStride} g(f, 0)[q] plane(c, i % 2, j)[q + (i / 2) OW]}: the weight
     * gradient of {@code samples} samples whose planes follow each other ({@link #planeStride} apart) within a gradient
     * plane ({@code dyStride} apart per filter and shift) and within a tap plane ({@code xStride} apart per channel and
     * plane). The gradient planes' zeros make every read outside a sample's image add nothing, so every float of x up to
     * {@link #tailFloats} after the last plane must be finite. {@code dw} is {@code (cout, cin, 3, 3)}.
     */
    public static void weightGradient(int cin, int cout, int height, int width, int samples,
                                      float[] dy, int dyOff, int dyStride, float[] x, int xOff, int xStride, float[] dw, int dwOff) {
        check(height, width);
        int ow = width / 2, n = samples * planeStride(height, width);
        if (samples < 0) throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        if (dyStride < n || xStride < n) throw new IllegalArgumentException("channel stride less than " + n);
        Conv3x3Wide.checkRange("dy", dy, dyOff, (2 * cout - 1) * dyStride + n);
        Conv3x3Wide.checkRange("x", x, xOff, (6 * cin - 1) * xStride + n + ow);
        Conv3x3Wide.checkRange("dw", dw, dwOff, cout * cin * 9);
        int[] at = new int[9];
        float[] sums = new float[GradientTile2x9.sumsLength()];
        // Channel outer: one channel's six tap planes of the group are read for every pair of filters while in cache.
        float[] spare = cout % 2 == 0 ? null : new float[2 * cin * 9];
        for (int c = 0; c < cin; c++) {
            for (int t = 0; t < 9; t++) {
                int i = t / 3, j = t % 3;
                at[t] = xOff + (6 * c + 3 * (i % 2) + j) * xStride + i / 2 * ow;
            }
            int f = 0;
            for (; f + 2 <= cout; f += 2) {
                GradientTile2x9.accumulate(n, dy, dyOff + 2 * f * dyStride, 2 * dyStride, x, at, dw, dwOff + (f * cin + c) * 9, cin * 9, sums);
            }
            // An odd last filter runs the tile with its second filter reading the first again, its sums dropped.
            if (f < cout) GradientTile2x9.accumulate(n, dy, dyOff + 2 * f * dyStride, 0, x, at, spare, c * 9, cin * 9, sums);
        }
        if (spare != null) {
            for (int k = 0; k < cin * 9; k++) dw[dwOff + (cout - 1) * cin * 9 + k] += spare[k];
        }
    }

    private static void check(int height, int width) {
        if (!fits(height, width)) {
            throw new IllegalArgumentException("Conv3x3Stride2Wide needs 16-lane vectors, even sides and an output of whole"
                    + " 4-vector tiles, got " + height + "x" + width + " at " + L + " lanes");
        }
    }

    private static int roundUp(int x, int m) { return (x + m - 1) / m * m; }
}
