package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct 3x3 convolution at stride 2 with padding 1 (ResNet's downsampling convolutions: 32x32 to
 * 16x16, 16x16 to 8x8), without im2col, by a polyphase split.
 *
 * <p>The zero-padded input {@code P} ({@code P[h + 1][w + 1] = x[h][w]}) is split into four <em>phase
 * planes</em>, one per parity of row and column: {@code phase (a, b)[r][k] = P[2r + a][2k + b]}, rows
 * {@link #phaseWidth} = OW + 1 wide and OH + 1 rows tall. Output pixel (oh, ow) reads {@code P[2oh + i][2ow + j]}
 * for tap (i, j), which is {@code phase (i % 2, j % 2)[oh + i / 2][ow + j / 2]}: in the flat index
 * {@code q = oh wq + ow} of a phase plane every tap is a fixed shift, so the convolution is nine shifted
 * runs along contiguous arrays, as at stride 1 ({@link Conv3x3}), with one thrown-away column per row
 * instead of a strided gather per pixel.
 *
 * <p>Per channel and phase a plane holds {@link #planeStride} floats (a sample's planes in a group follow each other). An output gradient is kept in
 * <em>gradient planes</em> of the same stride, the image at {@link #lead} floats in, rows wq wide, zeros
 * everywhere else (the column {@code ow = OW} and the rows past the image included). Then
 * <ul>
 *   <li>the weight gradient is dot products of a gradient plane against shifted phase planes
 *       ({@link #weightGradient});</li>
 *   <li>the input gradient of phase (a, b) is a convolution of the gradient planes with the taps of that
 *       phase shifted backwards ({@code dphase[c][p] = sum W[f][c][i][j] dy[f][p - shift(i, j)]}, 4, 2, 2 and 1
 *       taps for the four phases), which {@link #merge} puts back into the image.</li>
 * </ul>
 *
 * <p>{@link #forward} and the input gradient run one kernel, {@link #taps}: {@code out[o][q] = bias[o] +
 * sum_t W[o][t] in[q + taps[t]]} in register tiles of 4 outputs x 2 vectors, as {@link Conv3x3}'s forward.
 * Layout of the arrays it reads: planes of one channel (and phase) for several samples may follow each
 * other, {@code planeStride} apart, with channels a larger {@code channelStride} apart.
 *
 * <p>{@code Conv3x3Stride2Reference} in the tests computes the same on the same layout in plain loops;
 * below 128-bit SIMD this class runs scalar loops.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Conv3x3Stride2 {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    /** Output channels per register tile. */
    static final int BLOCK = 4;
    /** Vectors of pixels per register tile; flat lengths are whole tiles. */
    static final int TILE = 2;
    private static final int TL = TILE * Math.max(L, 1);

    private Conv3x3Stride2() {}

    /** Output rows (or columns) of an input side: {@code floor((n + 2 - 3) / 2) + 1}. */
    public static int outSize(int n) { return (n - 1) / 2 + 1; }

    /** Floats per row of a phase plane and of a flat output: OW + 1. */
    public static int phaseWidth(int width) { return outSize(width) + 1; }

    /** Where a gradient plane's image starts: one row and one float in, so that the backward shifts stay in its plane. */
    public static int lead(int width) { return phaseWidth(width) + 1; }

    /** Floats per channel of a flat forward output: OH rows of wq, in whole tiles. */
    public static int flatLength(int height, int width) { return roundUp(outSize(height) * phaseWidth(width), TL); }

    /** Floats per channel of a flat input-gradient phase: OH + 1 rows of wq, in whole tiles. */
    public static int phaseFlatLength(int height, int width) { return roundUp((outSize(height) + 1) * phaseWidth(width), TL); }

    /**
     * Floats per phase plane and per gradient plane: the phase image (OH + 1 rows of wq) and the gradient image
     * after its lead, in whole vectors. The last tiles of a pass compute a few outputs past what is kept, whose
     * reads run on into the next plane; after the last plane an array needs {@link #tailFloats} more.
     */
    public static int planeStride(int height, int width) {
        return roundUp((outSize(height) + 1) * phaseWidth(width) + 1, Math.max(L, 1));
    }

    /** Floats an array needs after its last plane for the reads of the last tiles (zeros, for a gradient). */
    public static int tailFloats(int height, int width) {
        return Math.max(0, phaseFlatLength(height, width) + lead(width) - planeStride(height, width));
    }

    /**
     * Writes {@code channels} images {@code (h, w)} into phase planes: phase {@code ph = 2a + b} of channel c at
     * {@code dst[dstOff + (4 c + ph) channelStride ...]}. Only the places of image pixels are written; the zeros
     * around them (written when dst was allocated) stay.
     */
    public static void split(int channels, int height, int width, float[] src, int srcOff, float[] dst, int dstOff, int channelStride) {
        int wq = phaseWidth(width), ps = planeStride(height, width);
        checkStride(channelStride, ps);
        checkRange("src", src, srcOff, channels * height * width);
        checkRange("dst", dst, dstOff, (4 * channels - 1) * channelStride + ps);
        for (int c = 0; c < channels; c++) {
            for (int h = 0; h < height; h++) {
                // Padded row h + 1 = 2r + a; padded column w + 1 = 2k + b.
                int a = (h + 1) & 1, r = (h + 1) >> 1, s = srcOff + (c * height + h) * width;
                int even = dstOff + (4 * c + 2 * a) * channelStride + r * wq, odd = even + channelStride;
                // w odd: column w + 1 even (b = 0) at k = (w + 1) / 2; w even: b = 1 at k = w / 2.
                int w = 0;
                for (; w + 1 < width; w += 2) {
                    dst[odd + (w >> 1)] = src[s + w];
                    dst[even + ((w + 2) >> 1)] = src[s + w + 1];
                }
                if (w < width) dst[odd + (w >> 1)] = src[s + w];
            }
        }
    }

    /** Copies {@code channels} flat outputs (rows wq wide, {@link #flatLength} apart) to images {@code (OH, OW)}. */
    public static void crop(int channels, int height, int width, float[] flat, int flatOff, float[] dst, int dstOff) {
        int oh = outSize(height), ow = outSize(width), wq = phaseWidth(width), lq = flatLength(height, width);
        checkRange("flat", flat, flatOff, channels * lq);
        checkRange("dst", dst, dstOff, channels * oh * ow);
        for (int c = 0; c < channels; c++) {
            int s = flatOff + c * lq, d = dstOff + c * oh * ow;
            for (int r = 0; r < oh; r++, s += wq, d += ow) System.arraycopy(flat, s, dst, d, ow);
        }
    }

    /**
     * Writes {@code channels} output gradients {@code (OH, OW)} into gradient planes {@code channelStride} apart
     * (the image at {@link #lead}, rows wq wide); the zeros around them stay.
     */
    public static void padGradient(int channels, int height, int width, float[] src, int srcOff, float[] dst, int dstOff, int channelStride) {
        int oh = outSize(height), ow = outSize(width), wq = phaseWidth(width), ps = planeStride(height, width);
        checkStride(channelStride, ps);
        checkRange("src", src, srcOff, channels * oh * ow);
        checkRange("dst", dst, dstOff, (channels - 1) * channelStride + ps);
        for (int c = 0; c < channels; c++) {
            int s = srcOff + c * oh * ow, d = dstOff + c * channelStride + lead(width);
            for (int r = 0; r < oh; r++, s += ow, d += wq) System.arraycopy(src, s, dst, d, ow);
        }
    }

    /**
     * Writes phase {@code ph = 2a + b} of {@code channels} input gradients (flat, rows wq wide, {@link #phaseFlatLength}
     * apart) into the pixels of images {@code (h, w)} of that parity: {@code dx[c][h][w] = dphase[c][(h + 1) / 2][(w + 1) / 2]}
     * where {@code (h + 1) % 2 = a} and {@code (w + 1) % 2 = b}. The four phases together write every pixel once.
     */
    public static void merge(int ph, int channels, int height, int width, float[] flat, int flatOff, float[] dst, int dstOff) {
        int wq = phaseWidth(width), lp = phaseFlatLength(height, width), a = ph >> 1, b = ph & 1;
        checkRange("flat", flat, flatOff, channels * lp);
        checkRange("dst", dst, dstOff, channels * height * width);
        for (int c = 0; c < channels; c++) {
            for (int h = 1 - a; h < height; h += 2) {
                int s = flatOff + c * lp + ((h + 1) >> 1) * wq, d = dstOff + (c * height + h) * width;
                for (int w = 1 - b; w < width; w += 2) dst[d + w] = flat[s + ((w + 1) >> 1)];
            }
        }
    }

    /** Phase plane (of {@link #split}) and shift of tap t = 3i + j, as one offset: plane index 2 (i % 2) + j % 2. */
    static int phaseOf(int t) { return 2 * (t / 3 % 2) + t % 3 % 2; }

    static int shiftOf(int t, int wq) { return t / 3 / 2 * wq + t % 3 / 2; }

    /**
     * Forward: {@code y[f][q] = bias[f] + sum_{c,i,j} W[f][c][i][j] phase(c, i%2, j%2)[q + (i/2) wq + j/2]} for q in
     * [0, {@link #flatLength}); {@code x} holds the phase planes of {@link #split} (of one sample) {@code channelStride}
     * apart, {@code packed} comes from {@link #packForward}, bias may be null.
     */
    public static void forward(int cin, int cout, int height, int width, float[] packed,
                               float[] bias, int biasOff, float[] x, int xOff, int channelStride, float[] y, int yOff) {
        int wq = phaseWidth(width), lq = flatLength(height, width);
        checkStride(channelStride, planeStride(height, width));
        checkRange("packed", packed, 0, cout * cin * 9);
        checkRange("x", x, xOff, (4 * cin - 1) * channelStride + lq + wq + 1);
        checkRange("y", y, yOff, cout * lq);
        int[] taps = new int[cin * 9];
        for (int c = 0; c < cin; c++) {
            for (int t = 0; t < 9; t++) taps[c * 9 + t] = (4 * c + phaseOf(t)) * channelStride + shiftOf(t, wq);
        }
        taps(cout, taps, packed, 0, bias, biasOff, x, xOff, y, yOff, lq);
    }

    /** The taps of phase ph, in the order t = 3i + j. */
    static int[] phaseTaps(int ph) {
        int[] out = new int[ph == 0 ? 4 : ph == 3 ? 1 : 2];
        int k = 0;
        for (int t = 0; t < 9; t++) if (phaseOf(t) == ph) out[k++] = t;
        return out;
    }

    /**
     * Input gradient, phase {@code ph}: {@code out[c][p] = sum_{f, t in ph} W[f][c][t] dy[f][lead + p - shift(t)]} for p in
     * [0, {@link #phaseFlatLength}); {@code dy} holds the gradient planes of {@link #padGradient} {@code channelStride}
     * apart, {@code packed} comes from {@link #packInputGradient}. {@link #merge} puts the result into dx.
     */
    public static void inputGradient(int ph, int cin, int cout, int height, int width, float[] packed,
                                     float[] dy, int dyOff, int channelStride, float[] out, int outOff) {
        int wq = phaseWidth(width), lp = phaseFlatLength(height, width), lead = lead(width);
        checkStride(channelStride, planeStride(height, width));
        checkRange("packed", packed, 0, cout * cin * 9);
        checkRange("dy", dy, dyOff, (cout - 1) * channelStride + lp + lead);
        checkRange("out", out, outOff, cin * lp);
        int[] pt = phaseTaps(ph);
        int n = pt.length;
        int[] taps = new int[cout * n];
        for (int f = 0; f < cout; f++) {
            for (int k = 0; k < n; k++) taps[f * n + k] = f * channelStride + lead - shiftOf(pt[k], wq);
        }
        taps(cin, taps, packed, PHASE_START[ph] * cin * cout, null, 0, dy, dyOff, out, outOff, lp);
    }

    /**
     * {@code dw[f][c][t] += sum_{q < samples planeStride} dy[f][lead + q] phase(c, t)[q + shift(t)]}: the weight gradient of
     * {@code samples} samples whose gradient planes follow each other within a channel ({@code dyStride} apart per
     * channel) and whose phase planes follow each other within a channel and phase ({@code xStride} apart per channel
     * and phase). The zeros of the gradient planes make every read outside a sample's own image add nothing, so
     * the floats after each channel's last plane must be zero for {@code lead} floats (the start of a next
     * gradient plane is) and every float of x finite. {@code dw} is {@code (cout, cin, 3, 3)}.
     */
    public static void weightGradient(int cin, int cout, int height, int width, int samples,
                                      float[] dy, int dyOff, int dyStride, float[] x, int xOff, int xStride,
                                      float[] dw, int dwOff) {
        int wq = phaseWidth(width), ps = planeStride(height, width), n = samples * ps, lead = lead(width);
        if (samples < 0) throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        checkStride(dyStride, n);
        checkStride(xStride, n);
        checkRange("dy", dy, dyOff, (cout - 1) * dyStride + n + lead);
        checkRange("x", x, xOff, (4 * cin - 1) * xStride + n + wq + 1);
        checkRange("dw", dw, dwOff, cout * cin * 9);
        int f = 0;
        if (VectorWidth.VECTORIZED) {
            for (; f + 3 <= cout; f += 3) {
                for (int c = 0; c < cin; c++) {
                    for (int i = 0; i < 3; i++) {
                        int t = 3 * i, base = xOff + 4 * c * xStride;
                        Conv3x3.weightGradient3x3(n, dy, dyOff + f * dyStride + lead, dyStride,
                                x, base + phaseOf(t) * xStride + shiftOf(t, wq), base + phaseOf(t + 1) * xStride + shiftOf(t + 1, wq),
                                base + phaseOf(t + 2) * xStride + shiftOf(t + 2, wq), dw, dwOff + (f * cin + c) * 9 + t, cin * 9);
                    }
                }
            }
        }
        for (; f < cout; f++) {
            for (int c = 0; c < cin; c++) {
                for (int t = 0; t < 9; t++) {
                    int d = dyOff + f * dyStride + lead, xs = xOff + (4 * c + phaseOf(t)) * xStride + shiftOf(t, wq);
                    dw[dwOff + (f * cin + c) * 9 + t] += dot(n, dy, d, x, xs);
                }
            }
        }
    }

    /** Where each phase's weights start in {@link #packInputGradient}'s array, in units of cin cout (its taps: 4, 2, 2, 1). */
    private static final int[] PHASE_START = {0, 4, 6, 8};

    /** Packs weights {@code (cout, cin, 3, 3)} for {@link #forward}: {@code cin cout 9} floats. */
    public static void packForward(int cin, int cout, float[] w, int wOff, float[] packed) {
        checkRange("w", w, wOff, cout * cin * 9);
        pack(cout, cin * 9, (o, k) -> w[wOff + o * cin * 9 + k], packed, 0);
    }

    /** Packs weights {@code (cout, cin, 3, 3)} for the four phases of {@link #inputGradient}: {@code cin cout 9} floats. */
    public static void packInputGradient(int cin, int cout, float[] w, int wOff, float[] packed) {
        checkRange("w", w, wOff, cout * cin * 9);
        for (int ph = 0; ph < 4; ph++) {
            int[] pt = phaseTaps(ph);
            int n = pt.length;
            pack(cin, cout * n, (c, k) -> w[wOff + (k / n * cin + c) * 9 + pt[k % n]], packed, PHASE_START[ph] * cin * cout);
        }
    }

    private interface Weights { float at(int out, int k); }

    /** Packs {@code W[o][k]} for {@link #taps}: outputs in blocks of 4, each {@code [k][4]}; the rest {@code [k]} one after another. */
    private static void pack(int outs, int ks, Weights w, float[] dst, int dstOff) {
        checkRange("packed", dst, dstOff, outs * ks);
        int full = outs / BLOCK * BLOCK;
        for (int o = 0; o < outs; o++) {
            for (int k = 0; k < ks; k++) {
                dst[dstOff + (o < full ? (o / BLOCK) * ks * BLOCK + k * BLOCK + o % BLOCK : full * ks + (o - full) * ks + k)] = w.at(o, k);
            }
        }
    }

    /** {@code out[o][q] = bias[o] + sum_k packed(o, k) in[inOff + q + taps[k]]} for q in [0, lq), o in [0, outs). */
    private static void taps(int outs, int[] taps, float[] packed, int pOff, float[] bias, int biasOff, float[] in, int inOff,
                             float[] out, int outOff, int lq) {
        int ks = taps.length, full = outs / BLOCK * BLOCK;
        if (bias != null) checkRange("bias", bias, biasOff, outs);
        if (!VectorWidth.VECTORIZED) {
            for (int o = 0; o < outs; o++) {
                int w0 = pOff + (o < full ? (o / BLOCK) * ks * BLOCK + o % BLOCK : full * ks + (o - full) * ks);
                int step = o < full ? BLOCK : 1;
                for (int q = 0; q < lq; q++) {
                    float s = bias == null ? 0f : bias[biasOff + o];
                    for (int k = 0; k < ks; k++) s += packed[w0 + k * step] * in[inOff + q + taps[k]];
                    out[outOff + o * lq + q] = s;
                }
            }
            return;
        }
        for (int o = 0; o < full; o += BLOCK) {
            int w0 = pOff + o * ks;
            float b0 = bias == null ? 0f : bias[biasOff + o], b1 = bias == null ? 0f : bias[biasOff + o + 1];
            float b2 = bias == null ? 0f : bias[biasOff + o + 2], b3 = bias == null ? 0f : bias[biasOff + o + 3];
            for (int q = 0; q < lq; q += TL) Conv3x3.forward4x2(taps, packed, w0, b0, b1, b2, b3, in, inOff + q, L, out, outOff + o * lq + q, lq);
        }
        for (int o = full; o < outs; o++) {
            int w0 = pOff + full * ks + (o - full) * ks;
            float b = bias == null ? 0f : bias[biasOff + o];
            for (int q = 0; q < lq; q += TL) Conv3x3.forward1x2(taps, packed, w0, b, in, inOff + q, L, out, outOff + o * lq + q);
        }
    }

    /** A dot product of n (whole vectors) floats in a fixed order (two vector sums, then {@link LaneMath#sum}), scalar below 128-bit SIMD. */
    private static float dot(int n, float[] a, int ao, float[] b, int bo) {
        if (!VectorWidth.VECTORIZED) {
            float s = 0f;
            for (int q = 0; q < n; q++) s += a[ao + q] * b[bo + q];
            return s;
        }
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int q = 0;
        for (; q + TL <= n; q += TL) {
            s0 = FloatVector.fromArray(S, a, ao + q).fma(FloatVector.fromArray(S, b, bo + q), s0);
            s1 = FloatVector.fromArray(S, a, ao + q + L).fma(FloatVector.fromArray(S, b, bo + q + L), s1);
        }
        if (q < n) s0 = FloatVector.fromArray(S, a, ao + q).fma(FloatVector.fromArray(S, b, bo + q), s0);
        return LaneMath.sum(s0.add(s1));
    }

    private static void checkStride(int stride, int atLeast) {
        if (stride < atLeast) throw new IllegalArgumentException("channel stride " + stride + " is less than " + atLeast);
    }

    private static void checkRange(String what, float[] a, int off, int length) {
        if (off < 0 || length < 0 || (long) off + length > a.length) {
            throw new IndexOutOfBoundsException(what + ": " + length + " floats at offset " + off
                    + " do not fit an array of " + a.length);
        }
    }

    private static int roundUp(int x, int m) { return (x + m - 1) / m * m; }
}
