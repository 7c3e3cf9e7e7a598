package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct 3x3 convolution at stride 1 with padding 1 (output the size of the input), without im2col.
 *
 * <p>Layout: every channel of an {@code h x w} image is a <em>padded plane</em> of {@link #planeStride}
 * floats: the image at row 1, column 1 of rows {@code wp = w + 2} wide, zeros around it and after it.
 * Seen as one flat row of floats, output pixel {@code q = oh wp + ow} then reads input {@code q + i wp + j}
 * for tap (i, j): a convolution is nine shifted runs along one contiguous array, so a SIMD register
 * holds {@code lanes} neighbouring output pixels, across row ends, with no tail per row. The two
 * columns per row that fall past the image ({@code ow >= w}) are computed and thrown away; the output
 * is a <em>flat</em> array of {@link #flatLength} floats per channel, rows {@code wp} wide, which
 * {@link #crop} copies back to an image. Every read stays inside its own plane, so those extra
 * columns cost arithmetic only, never a branch or a mask. Planes of one channel may follow each other
 * (one per sample) with channels a larger {@code channelStride} apart.
 *
 * <p>Register tiles, measured on AVX2 (16 registers): 12 accumulators plus their operands spill, so
 * {@link #forward} accumulates 4 output channels x 2 vectors of pixels (8 accumulators, 2 input loads
 * and 4 weight broadcasts per tap), and {@link #weightGradient} 3 output channels x the 3 column taps
 * of one kernel row (9 accumulators) along the planes of all samples of a channel at once, reducing
 * to sums once per call.
 *
 * <p>Where there are enough channels, two products run through the SGEMM micro-kernel instead (its 6 x 2-vector
 * tile, 12 accumulators that stay in registers, at about twice the rate of the tiles above on W3's second layer):
 * {@link #forwardGemm} copies a strip of 2 vectors of positions of the im2col matrix once and runs every tile of
 * output channels over it; {@link #weightGradientGemm} reads the im2col rows in place as the broadcast side and
 * the output gradient, packed position-major by {@link #packGradient}, as the vector side, so that no sum across
 * lanes is needed.
 *
 * <p>The backward pass for the input is the same forward kernel on the padded output gradient with
 * the weights flipped and transposed ({@link #packWeights} with {@code flipTranspose}), because
 * {@code dx[c][h][w] = sum_{f,i,j} W[f][c][2-i][2-j] dy_padded[f][h+i][w+j]}.
 *
 * <p>{@link Conv3x3Reference} computes the same on the same layout in plain loops; below 128-bit
 * SIMD this class runs scalar loops.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Conv3x3 {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    /** Output channels per forward register tile. */
    static final int BLOCK = 4;
    /** Vectors of pixels per forward register tile. */
    static final int TILE = 2;

    private Conv3x3() {}

    /** Floats per padded row: one zero column either side of the image. */
    public static int paddedWidth(int width) { return width + 2; }

    /** Floats per channel of a flat output: {@code h wp} rounded up to whole forward tiles. */
    public static int flatLength(int height, int width) {
        return roundUp(height * paddedWidth(width), TILE * L);
    }

    /** Floats per padded plane: room for every read of the last tile of a flat output, in whole tiles. */
    public static int planeStride(int height, int width) {
        int wp = paddedWidth(width);
        return roundUp(flatLength(height, width) + 2 * wp + 2, TILE * L);
    }

    /**
     * Writes {@code channels} images {@code (h, w)} from {@code src} into the interiors of padded planes at
     * {@code dst}, {@code channelStride} floats apart; the zeros around them (written once, when dst was
     * allocated) are left as they are.
     */
    public static void pad(int channels, int height, int width, float[] src, int srcOff, float[] dst, int dstOff, int channelStride) {
        int wp = paddedWidth(width), ps = planeStride(height, width);
        checkStride(channelStride, ps);
        checkRange("src", src, srcOff, channels * height * width);
        checkRange("dst", dst, dstOff, (channels - 1) * channelStride + ps);
        for (int c = 0; c < channels; c++) {
            int s = srcOff + c * height * width, d = dstOff + c * channelStride + wp + 1;
            for (int h = 0; h < height; h++, s += width, d += wp) ShortCopy.copy(src, s, dst, d, width);
        }
    }

    /** Copies {@code channels} flat outputs (rows {@code wp} wide, {@link #flatLength} apart) back to images {@code (h, w)}. */
    public static void crop(int channels, int height, int width, float[] flat, int flatOff, float[] dst, int dstOff) {
        int wp = paddedWidth(width), lq = flatLength(height, width);
        checkRange("flat", flat, flatOff, channels * lq);
        checkRange("dst", dst, dstOff, channels * height * width);
        for (int c = 0; c < channels; c++) {
            int s = flatOff + c * lq, d = dstOff + c * height * width;
            for (int h = 0; h < height; h++, s += wp, d += width) ShortCopy.copy(flat, s, dst, d, width);
        }
    }

    /**
     * Packs weights {@code (cout, cin, 3, 3)} for {@link #forward}: output channels in blocks of 4, each
     * block tap-major ({@code [c][i][j][4]}), the last {@code cout % 4} channels one after another
     * ({@code [c][i][j]}). With {@code flipTranspose} it packs the weights of the input-gradient pass
     * instead, a convolution from {@code cout} channels to {@code cin}: {@code W'[c][f][i][j] = W[f][c][2-i][2-j]}.
     */
    public static void packWeights(int cin, int cout, float[] w, int wOff, boolean flipTranspose, float[] dst) {
        checkRange("w", w, wOff, cin * cout * 9);
        checkRange("dst", dst, 0, cin * cout * 9);
        int outs = flipTranspose ? cin : cout, ins = flipTranspose ? cout : cin;
        int full = outs / BLOCK * BLOCK;
        for (int o = 0; o < outs; o++) {
            for (int c = 0; c < ins; c++) {
                for (int t = 0; t < 9; t++) {
                    float v = flipTranspose ? w[wOff + (c * cin + o) * 9 + 8 - t] : w[wOff + (o * cin + c) * 9 + t];
                    dst[packedIndex(o, c, t, ins, full)] = v;
                }
            }
        }
    }

    /** Where {@link #packWeights} puts tap t (= 3 i + j) of input channel c of output channel o. */
    static int packedIndex(int o, int c, int t, int ins, int full) {
        if (o < full) return (o / BLOCK) * ins * 9 * BLOCK + (c * 9 + t) * BLOCK + o % BLOCK;
        return full * ins * 9 + (o - full) * ins * 9 + c * 9 + t;
    }

    /**
     * {@code y[o][q] = bias[o] + sum_{c,i,j} W[o][c][i][j] x[c][q + i wp + j]} for every o in [0, cout) and q in
     * [0, {@link #flatLength}): {@code x} holds {@code cin} padded planes {@code channelStride} apart, {@code y}
     * receives {@code cout} flat outputs, {@code packed} comes from {@link #packWeights}. {@code bias} may be null (zero).
     */
    public static void forward(int cin, int cout, int height, int width, float[] packed, float[] bias, int biasOff,
                               float[] x, int xOff, int channelStride, float[] y, int yOff) {
        int wp = paddedWidth(width), lq = flatLength(height, width), ps = planeStride(height, width);
        checkStride(channelStride, ps);
        checkRange("packed", packed, 0, cin * cout * 9);
        checkRange("x", x, xOff, (cin - 1) * channelStride + ps);
        checkRange("y", y, yOff, cout * lq);
        if (bias != null) checkRange("bias", bias, biasOff, cout);
        int full = cout / BLOCK * BLOCK;
        int[] taps = taps(cin, wp, channelStride);
        if (!VectorWidth.VECTORIZED) {
            for (int o = 0; o < cout; o++) {
                for (int q = 0; q < lq; q++) {
                    float s = bias == null ? 0f : bias[biasOff + o];
                    for (int c = 0; c < cin; c++) {
                        for (int t = 0; t < 9; t++) s += packed[packedIndex(o, c, t, cin, full)] * x[xOff + q + taps[c * 9 + t]];
                    }
                    y[yOff + o * lq + q] = s;
                }
            }
            return;
        }
        for (int o = 0; o < full; o += BLOCK) {
            int w0 = o * cin * 9;
            float b0 = bias == null ? 0f : bias[biasOff + o], b1 = bias == null ? 0f : bias[biasOff + o + 1];
            float b2 = bias == null ? 0f : bias[biasOff + o + 2], b3 = bias == null ? 0f : bias[biasOff + o + 3];
            for (int q = 0; q < lq; q += TILE * L) {
                forward4x2(taps, packed, w0, b0, b1, b2, b3, x, xOff + q, L, y, yOff + o * lq + q, lq);
            }
        }
        for (int o = full; o < cout; o++) {
            int w0 = full * cin * 9 + (o - full) * cin * 9;
            float b = bias == null ? 0f : bias[biasOff + o];
            for (int q = 0; q < lq; q += TILE * L) forward1x2(taps, packed, w0, b, x, xOff + q, L, y, yOff + o * lq + q);
        }
    }

    /** Where tap t of input channel c starts, relative to the output pixel: one table, one loop over (c, t). */
    private static int[] taps(int cin, int wp, int channelStride) {
        int[] taps = new int[cin * 9];
        for (int c = 0; c < cin; c++) {
            for (int t = 0; t < 9; t++) taps[c * 9 + t] = c * channelStride + t / 3 * wp + t % 3;
        }
        return taps;
    }

    /**
     * True when {@link #forwardImage} can write this size: SIMD on, the width a whole number of vectors and
     * the image an even number of them (a tile is 2 vectors). On 256-bit SIMD: widths 8, 16, 32 (ResNet's
     * stages), not 28 or 14 (W3's), which keep the flat layout.
     */
    public static boolean imageTiled(int height, int width) {
        return VectorWidth.VECTORIZED && width % L == 0 && (height * (width / L)) % TILE == 0;
    }

    /**
     * {@link #forward}, but each output channel is written straight into an image {@code (h, w)}, {@code yStride}
     * floats apart, with no flat rows and no {@link #crop}: a vector of pixels is part of one image row, so none of
     * its lanes is thrown away. On an 8x8 image the flat layout computes 80 pixels for 64 (16x16: 288 for 256).
     * Only for sizes where {@link #imageTiled} holds.
     */
    public static void forwardImage(int cin, int cout, int height, int width, float[] packed, float[] bias, int biasOff,
                                    float[] x, int xOff, int channelStride, float[] y, int yOff, int yStride) {
        if (!imageTiled(height, width)) {
            throw new IllegalArgumentException("forwardImage needs a width that is a multiple of " + L
                    + " floats and an even number of vectors per image, got " + height + "x" + width);
        }
        int wp = paddedWidth(width), ps = planeStride(height, width), pixels = height * width;
        checkStride(channelStride, ps);
        checkStride(yStride, pixels);
        checkRange("packed", packed, 0, cin * cout * 9);
        checkRange("x", x, xOff, (cin - 1) * channelStride + ps);
        checkRange("y", y, yOff, (cout - 1) * yStride + pixels);
        if (bias != null) checkRange("bias", bias, biasOff, cout);
        int full = cout / BLOCK * BLOCK, perRow = width / L, vectors = height * perRow;
        int[] taps = taps(cin, wp, channelStride);
        for (int o = 0; o < full; o += BLOCK) {
            int w0 = o * cin * 9;
            float b0 = bias == null ? 0f : bias[biasOff + o], b1 = bias == null ? 0f : bias[biasOff + o + 1];
            float b2 = bias == null ? 0f : bias[biasOff + o + 2], b3 = bias == null ? 0f : bias[biasOff + o + 3];
            for (int v = 0; v < vectors; v += TILE) {
                // Image rows are contiguous, so the tile's second vector follows its first in y; in x it may
                // start a padded row further (two more floats).
                int q0 = v / perRow * wp + v % perRow * L, q1 = (v + 1) / perRow * wp + (v + 1) % perRow * L;
                forward4x2(taps, packed, w0, b0, b1, b2, b3, x, xOff + q0, q1 - q0, y, yOff + o * yStride + v * L, yStride);
            }
        }
        for (int o = full; o < cout; o++) {
            int w0 = full * cin * 9 + (o - full) * cin * 9;
            float b = bias == null ? 0f : bias[biasOff + o];
            for (int v = 0; v < vectors; v += TILE) {
                int q0 = v / perRow * wp + v % perRow * L, q1 = (v + 1) / perRow * wp + (v + 1) % perRow * L;
                forward1x2(taps, packed, w0, b, x, xOff + q0, q1 - q0, y, yOff + o * yStride + v * L);
            }
        }
    }

    /**
     * {@code xd}: where the tile's second vector of pixels starts in x, relative to its first. Also the
     * stride-2 kernel's tile ({@link Conv3x3Stride2}: its phases are flat rows too, with the same packing).
     */
    static void forward4x2(int[] taps, float[] w, int wi, float b0, float b1, float b2, float b3,
                                   float[] x, int xq, int xd, float[] y, int yq, int lq) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30;
        for (int t = 0; t < taps.length; t++, wi += BLOCK) {
            int xa = xq + taps[t];
            FloatVector x0 = FloatVector.fromArray(S, x, xa);
            FloatVector x1 = FloatVector.fromArray(S, x, xa + xd);
            FloatVector v = FloatVector.broadcast(S, w[wi]);
            a00 = x0.fma(v, a00); a01 = x1.fma(v, a01);
            v = FloatVector.broadcast(S, w[wi + 1]);
            a10 = x0.fma(v, a10); a11 = x1.fma(v, a11);
            v = FloatVector.broadcast(S, w[wi + 2]);
            a20 = x0.fma(v, a20); a21 = x1.fma(v, a21);
            v = FloatVector.broadcast(S, w[wi + 3]);
            a30 = x0.fma(v, a30); a31 = x1.fma(v, a31);
        }
        a00.intoArray(y, yq); a01.intoArray(y, yq + L);
        a10.intoArray(y, yq + lq); a11.intoArray(y, yq + lq + L);
        a20.intoArray(y, yq + 2 * lq); a21.intoArray(y, yq + 2 * lq + L);
        a30.intoArray(y, yq + 3 * lq); a31.intoArray(y, yq + 3 * lq + L);
    }

    static void forward1x2(int[] taps, float[] w, int wi, float b, float[] x, int xq, int xd, float[] y, int yq) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = a0;
        for (int t = 0; t < taps.length; t++, wi++) {
            int xa = xq + taps[t];
            FloatVector v = FloatVector.broadcast(S, w[wi]);
            a0 = FloatVector.fromArray(S, x, xa).fma(v, a0);
            a1 = FloatVector.fromArray(S, x, xa + xd).fma(v, a1);
        }
        a0.intoArray(y, yq); a1.intoArray(y, yq + L);
    }

    /**
     * {@code dw[o][c][i][j] += sum_{q < samples planeStride} dy[o][q + wp + 1] x[c][q + i wp + j]}: the weight
     * gradient of {@code samples} samples whose padded planes follow each other within a channel, the output
     * gradient's {@code cout} channels {@code dyStride} apart and the input's {@code cin} channels {@code xStride}
     * apart (each at least {@code samples planeStride}). The padded gradient's zeros make the columns past the
     * image, and the rows past its end, add nothing; so must the {@code wp + 1} floats after each channel's
     * last plane be zero (the top row of a next padded plane is), and every float of x be finite.
     * {@code dw} is {@code (cout, cin, 3, 3)}.
     */
    public static void weightGradient(int cin, int cout, int height, int width, int samples,
                                      float[] dy, int dyOff, int dyStride, float[] x, int xOff, int xStride,
                                      float[] dw, int dwOff) {
        int wp = paddedWidth(width), ps = planeStride(height, width), n = samples * ps;
        if (samples < 0) throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        checkStride(dyStride, n);
        checkStride(xStride, n);
        // Reads run one padded row and two floats past the last plane (zeros of the gradient meet them).
        checkRange("dy", dy, dyOff, (cout - 1) * dyStride + n + wp + 1);
        checkRange("x", x, xOff, (cin - 1) * xStride + n + 2 * wp + 2);
        checkRange("dw", dw, dwOff, cout * cin * 9);
        if (!VectorWidth.VECTORIZED) {
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    for (int t = 0; t < 9; t++) {
                        float sum = 0f;
                        int d = dyOff + o * dyStride + wp + 1, xc = xOff + c * xStride + t / 3 * wp + t % 3;
                        for (int q = 0; q < n; q++) sum += dy[d + q] * x[xc + q];
                        dw[dwOff + (o * cin + c) * 9 + t] += sum;
                    }
                }
            }
            return;
        }
        int o = 0;
        for (; o + 3 <= cout; o += 3) {
            for (int c = 0; c < cin; c++) {
                for (int i = 0; i < 3; i++) {
                    int xs = xOff + c * xStride + i * wp;
                    weightGradient3x3(n, dy, dyOff + o * dyStride + wp + 1, dyStride, x, xs, xs + 1, xs + 2,
                            dw, dwOff + (o * cin + c) * 9 + i * 3, cin * 9);
                }
            }
        }
        for (; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int i = 0; i < 3; i++) {
                    weightGradient1x3(n, dy, dyOff + o * dyStride + wp + 1, x, xOff + c * xStride + i * wp,
                            dw, dwOff + (o * cin + c) * 9 + i * 3);
                }
            }
        }
    }

    /**
     * Three taps (at x0, x1, x2: one kernel row here, a phase's taps in {@link Conv3x3Stride2}) of 3 output
     * channels against one input channel: 9 accumulators.
     */
    static void weightGradient3x3(int n, float[] dy, int d, int dyStride, float[] x, int x0, int x1, int x2,
                                  float[] dw, int w0, int fstride) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00;
        for (int q = 0; q < n; q += L) {
            FloatVector v0 = FloatVector.fromArray(S, x, x0 + q);
            FloatVector v1 = FloatVector.fromArray(S, x, x1 + q);
            FloatVector v2 = FloatVector.fromArray(S, x, x2 + q);
            FloatVector g = FloatVector.fromArray(S, dy, d + q);
            a00 = v0.fma(g, a00); a01 = v1.fma(g, a01); a02 = v2.fma(g, a02);
            g = FloatVector.fromArray(S, dy, d + dyStride + q);
            a10 = v0.fma(g, a10); a11 = v1.fma(g, a11); a12 = v2.fma(g, a12);
            g = FloatVector.fromArray(S, dy, d + 2 * dyStride + q);
            a20 = v0.fma(g, a20); a21 = v1.fma(g, a21); a22 = v2.fma(g, a22);
        }
        dw[w0] += LaneMath.sum(a00);
        dw[w0 + 1] += LaneMath.sum(a01);
        dw[w0 + 2] += LaneMath.sum(a02);
        dw[w0 + fstride] += LaneMath.sum(a10);
        dw[w0 + fstride + 1] += LaneMath.sum(a11);
        dw[w0 + fstride + 2] += LaneMath.sum(a12);
        dw[w0 + 2 * fstride] += LaneMath.sum(a20);
        dw[w0 + 2 * fstride + 1] += LaneMath.sum(a21);
        dw[w0 + 2 * fstride + 2] += LaneMath.sum(a22);
    }

    /** One output channel's kernel row, two vectors per step so that 6 sums hide the FMA latency. */
    private static void weightGradient1x3(int n, float[] dy, int d, float[] x, int xs, float[] dw, int w0) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, b0 = a0, b1 = a0, b2 = a0;
        for (int q = 0; q < n; q += 2 * L) {
            FloatVector g = FloatVector.fromArray(S, dy, d + q), h = FloatVector.fromArray(S, dy, d + q + L);
            a0 = FloatVector.fromArray(S, x, xs + q).fma(g, a0);
            a1 = FloatVector.fromArray(S, x, xs + q + 1).fma(g, a1);
            a2 = FloatVector.fromArray(S, x, xs + q + 2).fma(g, a2);
            b0 = FloatVector.fromArray(S, x, xs + q + L).fma(h, b0);
            b1 = FloatVector.fromArray(S, x, xs + q + L + 1).fma(h, b1);
            b2 = FloatVector.fromArray(S, x, xs + q + L + 2).fma(h, b2);
        }
        dw[w0] += LaneMath.sum(a0.add(b0));
        dw[w0 + 1] += LaneMath.sum(a1.add(b1));
        dw[w0 + 2] += LaneMath.sum(a2.add(b2));
    }

    /** The SGEMM micro-kernel {@link #forwardGemm} runs; null without SIMD. */
    static final MicroKernel KERNEL = VectorWidth.VECTORIZED ? MicroKernel.forSpecies(S) : null;

    /** Whether {@link #forwardGemm} can run: SIMD on. */
    public static boolean gemmAvailable() { return KERNEL != null; }

    /**
     * Rows of {@link #packGemmWeights}' matrix: {@code outs} rounded up to whole micro-kernel tiles, and at least 3
     * more, so that {@link #forwardGemm}'s last 4-row tile, which may start at any channel, reads zero rows.
     */
    private static int gemmRows(int outs) {
        int mr = KERNEL == null ? 1 : KERNEL.mr();
        return Math.max(roundUp(outs, mr), outs + 3);
    }

    /** Floats {@link #packGemmWeights} writes: a {@code (outs, 9 ins + 1)} matrix in whole micro-kernel tiles of rows. */
    public static int gemmWeightsLength(int cin, int cout, boolean flipTranspose) {
        int outs = flipTranspose ? cin : cout, ins = flipTranspose ? cout : cin;
        return gemmRows(outs) * (9 * ins + 1);
    }

    /** Scratch floats {@link #forwardGemm} needs: one packed strip of the im2col matrix and one tile of the output. */
    public static int gemmScratchLength(int ins) {
        int mr = KERNEL == null ? 1 : KERNEL.mr();
        return (9 * ins + 1) * TILE * L + Math.max(mr, 4) * TILE * L;
    }

    /**
     * Weights for {@link #forwardGemm}: row o is output channel o's {@code 9 ins} weights ({@code [c][i][j]}),
     * then its bias (0 when {@code bias} is null), rows past {@code outs} zero. {@code flipTranspose} as in
     * {@link #packWeights}: the input-gradient pass's flipped, transposed weights.
     */
    public static void packGemmWeights(int cin, int cout, float[] w, int wOff, float[] bias, int biasOff,
                                       boolean flipTranspose, float[] dst) {
        checkRange("w", w, wOff, cin * cout * 9);
        checkRange("dst", dst, 0, gemmWeightsLength(cin, cout, flipTranspose));
        if (bias != null) checkRange("bias", bias, biasOff, flipTranspose ? cin : cout);
        int outs = flipTranspose ? cin : cout, ins = flipTranspose ? cout : cin, kc = 9 * ins + 1;
        for (int o = 0; o < outs; o++) {
            for (int c = 0; c < ins; c++) {
                for (int t = 0; t < 9; t++) {
                    dst[o * kc + c * 9 + t] = flipTranspose ? w[wOff + (c * cin + o) * 9 + 8 - t] : w[wOff + (o * cin + c) * 9 + t];
                }
            }
            dst[o * kc + kc - 1] = bias == null ? 0f : bias[biasOff + o];
        }
        java.util.Arrays.fill(dst, outs * kc, gemmRows(outs) * kc, 0f);
    }

    /**
     * {@link #forward} as an implicit product through the SGEMM micro-kernel: for each strip of
     * {@code 2 lanes} flat positions the {@code (9 cin + 1, strip)} block of the im2col matrix (a row is a
     * shifted run of a padded plane, the last row ones for the bias) is copied once into {@code scratch}, where
     * every tile of output channels reads it sequentially, as the micro-kernel's packed B panel; the weights
     * from {@link #packGemmWeights} are its rows of A, read in place. The copy is 1/(output channels) of the
     * arithmetic, and the kernel keeps 6 x 2 vectors of sums in registers on AVX2 with no table lookups and
     * no bounds checks in its loop. Needs SIMD ({@link #imageTiled} is false without it: callers then use
     * {@link #forward}).
     */
    public static void forwardGemm(int cin, int cout, int height, int width, float[] gemmWeights,
                                   float[] x, int xOff, int channelStride, float[] y, int yOff, float[] scratch) {
        if (KERNEL == null) throw new IllegalStateException("forwardGemm needs SIMD");
        int wp = paddedWidth(width), lq = flatLength(height, width), ps = planeStride(height, width);
        int mr = KERNEL.mr(), nr = TILE * L, kc = 9 * cin + 1, strip = kc * nr;
        checkStride(channelStride, ps);
        checkRange("gemmWeights", gemmWeights, 0, gemmRows(cout) * kc);
        checkRange("x", x, xOff, (cin - 1) * channelStride + ps);
        checkRange("y", y, yOff, cout * lq);
        checkRange("scratch", scratch, 0, gemmScratchLength(cin));
        FloatVector one = FloatVector.broadcast(S, 1f);
        one.intoArray(scratch, strip - nr);
        one.intoArray(scratch, strip - nr + L);
        int full = cout / mr * mr;
        for (int q = 0; q < lq; q += nr) {
            for (int c = 0; c < cin; c++) {
                int xa = xOff + c * channelStride + q, d = c * 9 * nr;
                for (int i = 0; i < 3; i++, xa += wp, d += 3 * nr) {
                    FloatVector.fromArray(S, x, xa).intoArray(scratch, d);
                    FloatVector.fromArray(S, x, xa + L).intoArray(scratch, d + L);
                    FloatVector.fromArray(S, x, xa + 1).intoArray(scratch, d + nr);
                    FloatVector.fromArray(S, x, xa + 1 + L).intoArray(scratch, d + nr + L);
                    FloatVector.fromArray(S, x, xa + 2).intoArray(scratch, d + 2 * nr);
                    FloatVector.fromArray(S, x, xa + 2 + L).intoArray(scratch, d + 2 * nr + L);
                }
            }
            for (int o = 0; o < full; o += mr) {
                KERNEL.multiplyRows(kc, gemmWeights, o * kc, kc, scratch, 0, 1f, 0f, y, yOff + o * lq + q, lq);
            }
            // The channels past the last whole tile in tiles of 8 and 4 rows: a whole tile for them wasted up to
            // 2/3 of its arithmetic (W3's 64 outputs are 5 tiles of 12 and 4; its 32 inputs 2 and 8).
            int o = full;
            if (mr > 8) {
                for (; o + 8 <= cout; o += 8) rows8x2(kc, gemmWeights, o * kc, scratch, y, yOff + o * lq + q, lq);
            }
            for (; o + 4 <= cout; o += 4) rows4x2(kc, gemmWeights, o * kc, scratch, y, yOff + o * lq + q, lq);
            if (o < cout) {
                rows4x2(kc, gemmWeights, o * kc, scratch, scratch, strip, nr);
                for (int r = o; r < cout; r++) System.arraycopy(scratch, strip + (r - o) * nr, y, yOff + r * lq + q, nr);
            }
        }
    }

    /**
     * 8 rows of {@link #forwardGemm}'s product (weight rows {@code kc} apart from {@code aOff}, times the strip's
     * {@code kc x 2 lanes} panel), stored to c, rows {@code ldc} apart: the micro-kernel's loop with fewer rows, so
     * each sum adds the same terms in the same order and the bits are those of a whole tile.
     */
    static void rows8x2(int kc, float[] a, int aOff, float[] b, float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + kc, a2 = a1 + kc, a3 = a2 + kc, a4 = a3 + kc, a5 = a4 + kc, a6 = a5 + kc, a7 = a6 + kc;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00, c50 = c00, c51 = c00, c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = p * 2 * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector v = FloatVector.broadcast(S, a[a0 + p]);
            c00 = v.fma(b0, c00); c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[a1 + p]);
            c10 = v.fma(b0, c10); c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[a2 + p]);
            c20 = v.fma(b0, c20); c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[a3 + p]);
            c30 = v.fma(b0, c30); c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, a[a4 + p]);
            c40 = v.fma(b0, c40); c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, a[a5 + p]);
            c50 = v.fma(b0, c50); c51 = v.fma(b1, c51);
            v = FloatVector.broadcast(S, a[a6 + p]);
            c60 = v.fma(b0, c60); c61 = v.fma(b1, c61);
            v = FloatVector.broadcast(S, a[a7 + p]);
            c70 = v.fma(b0, c70); c71 = v.fma(b1, c71);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc); c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc); c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc); c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc); c71.intoArray(c, cOff + 7 * ldc + L);
    }

    /** {@link #rows8x2} for 4 rows. */
    static void rows4x2(int kc, float[] a, int aOff, float[] b, float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + kc, a2 = a1 + kc, a3 = a2 + kc;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        for (int p = 0; p < kc; p++) {
            int bi = p * 2 * L;
            FloatVector b0 = FloatVector.fromArray(S, b, bi), b1 = FloatVector.fromArray(S, b, bi + L);
            FloatVector v = FloatVector.broadcast(S, a[a0 + p]);
            c00 = v.fma(b0, c00); c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, a[a1 + p]);
            c10 = v.fma(b0, c10); c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, a[a2 + p]);
            c20 = v.fma(b0, c20); c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, a[a3 + p]);
            c30 = v.fma(b0, c30); c31 = v.fma(b1, c31);
        }
        c00.intoArray(c, cOff); c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + ldc); c11.intoArray(c, cOff + ldc + L);
        c20.intoArray(c, cOff + 2 * ldc); c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc); c31.intoArray(c, cOff + 3 * ldc + L);
    }

    /** Output channels per column panel of {@link #packGradient}: the GEMM weight gradient's two vectors. */
    public static int gradientPanel() { return TILE * L; }

    /** {@code cout} rounded up to whole column panels: the row length of {@link #weightGradientGemm}'s {@code dwT}. */
    public static int gradientColumns(int cout) { return roundUp(cout, gradientPanel()); }

    /** Floats {@link #packGradient} writes for one sample. */
    public static int packedGradientLength(int cout, int height, int width) {
        return gradientColumns(cout) * flatLength(height, width);
    }

    /**
     * Lays one sample's output gradient {@code dy (cout, h, w)} (images, {@code h w} floats apart) out for
     * {@link #weightGradientGemm}: panels of {@link #gradientPanel} channels, each position-major
     * ({@code [panel][q][channel % panel]}) over the flat positions {@code q = oh wp + ow} of
     * {@link #flatLength}; the columns past the image, the positions past its end and the channels past
     * {@code cout} are zero, so that they add nothing.
     */
    public static void packGradient(int cout, int height, int width, float[] dy, int dyOff, float[] dst, int dstOff) {
        int wp = paddedWidth(width), lq = flatLength(height, width), nr = gradientPanel(), pixels = height * width;
        checkRange("dy", dy, dyOff, cout * pixels);
        checkRange("dst", dst, dstOff, packedGradientLength(cout, height, width));
        int panels = gradientColumns(cout) / nr;
        for (int p = 0; p < panels; p++) {
            int base = dstOff + p * lq * nr;
            // Zeros first where no pixel lands: the two columns past each row, and the rounding after the last.
            for (int h = 0; h < height; h++) java.util.Arrays.fill(dst, base + (h * wp + width) * nr, base + (h + 1) * wp * nr, 0f);
            java.util.Arrays.fill(dst, base + height * wp * nr, base + lq * nr, 0f);
            int f1 = Math.min(cout, (p + 1) * nr);
            for (int h = 0; h < height; h++) {
                GemmPacking.transpose(dy, dyOff + p * nr * pixels + h * width, pixels, f1 - p * nr, width, dst, base + h * wp * nr, nr);
            }
            for (int f = f1; f < (p + 1) * nr; f++) {
                int d = base + f - p * nr;
                for (int q = 0; q < height * wp; q++, d += nr) dst[d] = 0f;
            }
        }
    }

    /**
     * The weight gradient of one sample as a product, {@code dwT[c 9 + 3 i + j][o] += sum_q x[c][q + i wp + j]
     * dy[o][q]} over the flat positions q: rows of the im2col matrix read in place from the padded planes
     * (a row is a shifted contiguous run, as in {@link #forward}), times the output gradient packed by
     * {@link #packGradient}. The register tile is the SGEMM micro-kernel's (6 rows x 2 vectors, 12
     * accumulators), so, unlike {@link #weightGradient}, it needs no sums across lanes and keeps a panel of
     * the gradient in L1 for all {@code 9 cin} rows. {@code dwT} is {@code (9 cin, }{@link #gradientColumns}{@code )};
     * {@link #addTransposed} adds it to a {@code (cout, cin, 3, 3)} gradient.
     */
    public static void weightGradientGemm(int cin, int cout, int height, int width, float[] packedDy, int pOff,
                                          float[] x, int xOff, int channelStride, float[] dwT) {
        int wp = paddedWidth(width), lq = flatLength(height, width), ps = planeStride(height, width);
        int nr = gradientPanel(), cols = gradientColumns(cout), rows = 9 * cin;
        checkStride(channelStride, ps);
        checkRange("packedDy", packedDy, pOff, cols * lq);
        checkRange("x", x, xOff, (cin - 1) * channelStride + ps);
        checkRange("dwT", dwT, 0, rows * cols);
        if (!VectorWidth.VECTORIZED) {
            for (int r = 0; r < rows; r++) {
                int xr = xOff + rowOffset(r, wp, channelStride);
                for (int o = 0; o < cout; o++) {
                    int b = pOff + o / nr * lq * nr + o % nr;
                    float sum = 0f;
                    for (int q = 0; q < lq; q++) sum += x[xr + q] * packedDy[b + q * nr];
                    dwT[r * cols + o] += sum;
                }
            }
            return;
        }
        for (int p = 0; p < cols; p += nr) {
            int b = pOff + p * lq;
            int r = 0;
            if (TAP_ROW_GRADIENT) {
                // Whole groups of 4 channels in the 12-row tile, a kernel row (3 taps) of each; the rest below.
                int c = 0;
                for (; c + 4 <= cin; c += 4) {
                    for (int i = 0; i < 3; i++) {
                        gradient4x3x2(lq, x, xOff + c * channelStride + i * wp, channelStride, packedDy, b, dwT, (9 * c + 3 * i) * cols + p, cols);
                    }
                }
                r = 9 * c;
            }
            for (; r + 6 <= rows; r += 6) {
                gradient6x2(lq, x, xOff + rowOffset(r, wp, channelStride), xOff + rowOffset(r + 1, wp, channelStride),
                        xOff + rowOffset(r + 2, wp, channelStride), xOff + rowOffset(r + 3, wp, channelStride),
                        xOff + rowOffset(r + 4, wp, channelStride), xOff + rowOffset(r + 5, wp, channelStride),
                        packedDy, b, dwT, r * cols + p, cols);
            }
            for (; r < rows; r++) gradient1x2(lq, x, xOff + rowOffset(r, wp, channelStride), packedDy, b, dwT, r * cols + p);
        }
    }

    /** Where row r (= 9 c + 3 i + j) of the im2col matrix starts in the padded planes. */
    private static int rowOffset(int r, int wp, int channelStride) {
        int c = r / 9, t = r % 9;
        return c * channelStride + t / 3 * wp + t % 3;
    }

    static void gradient6x2(int kc, float[] x, int x0, int x1, int x2, int x3, int x4, int x5,
                                    float[] b, int bOff, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector a, b0, b1;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 2 * L;
            b0 = FloatVector.fromArray(S, b, bi);
            b1 = FloatVector.fromArray(S, b, bi + L);
            a = FloatVector.broadcast(S, x[x0 + p]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, x[x1 + p]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, x[x2 + p]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, x[x3 + p]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, x[x4 + p]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, x[x5 + p]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
        }
        // Stores spelled out, as in gradient4x3x2: W4's profile showed addTile out of line here, its vectors boxed.
        { int ci = cOff; FloatVector.fromArray(S, c, ci).add(c00).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c01).intoArray(c, ci + L); }
        { int ci = cOff + ldc; FloatVector.fromArray(S, c, ci).add(c10).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c11).intoArray(c, ci + L); }
        { int ci = cOff + 2 * ldc; FloatVector.fromArray(S, c, ci).add(c20).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c21).intoArray(c, ci + L); }
        { int ci = cOff + 3 * ldc; FloatVector.fromArray(S, c, ci).add(c30).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c31).intoArray(c, ci + L); }
        { int ci = cOff + 4 * ldc; FloatVector.fromArray(S, c, ci).add(c40).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c41).intoArray(c, ci + L); }
        { int ci = cOff + 5 * ldc; FloatVector.fromArray(S, c, ci).add(c50).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c51).intoArray(c, ci + L); }
    }

    /**
     * Whether {@link #weightGradientGemm} runs the 12-row tile {@link #gradient4x3x2}: its 24 accumulators need 32
     * vector registers (the micro-kernel's 12-row tile says they are there). The 6-row tile's 12 accumulators left
     * half the registers unused and issued a broadcast for every 2 FMAs: on W3's second layer (32 x 14x14 to 64,
     * one thread) it ran at about 0.8 of the forward product's rate.
     */
    static final boolean TAP_ROW_GRADIENT = KERNEL != null && KERNEL.mr() >= 12;

    /**
     * {@link #gradient6x2} for 12 rows of the im2col matrix that are 4 channels ({@code cs} floats apart from
     * {@code x0}) times the 3 taps of one kernel row (the next 2 floats): one row pointer per channel, the taps as
     * offsets. Row {@code (k, j)} is added to c at {@code cOff + (9 k + j) ldc}. Every sum is the same as
     * {@link #gradient6x2}'s, in the same order: the same bits.
     */
    static void gradient4x3x2(int kc, float[] x, int x0, int cs, float[] b, int bOff, float[] c, int cOff, int ldc) {
        int x1 = x0 + cs, x2 = x1 + cs, x3 = x2 + cs;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00, c80 = c00, c81 = c00;
        FloatVector c90 = c00, c91 = c00, ca0 = c00, ca1 = c00, cb0 = c00, cb1 = c00;
        FloatVector a, b0, b1;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 2 * L;
            b0 = FloatVector.fromArray(S, b, bi);
            b1 = FloatVector.fromArray(S, b, bi + L);
            a = FloatVector.broadcast(S, x[x0 + p]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, x[x0 + p + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, x[x0 + p + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, x[x1 + p]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, x[x1 + p + 1]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, x[x1 + p + 2]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, x[x2 + p]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, x[x2 + p + 1]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(S, x[x2 + p + 2]);
            c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(S, x[x3 + p]);
            c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(S, x[x3 + p + 1]);
            ca0 = a.fma(b0, ca0); ca1 = a.fma(b1, ca1);
            a = FloatVector.broadcast(S, x[x3 + p + 2]);
            cb0 = a.fma(b0, cb0); cb1 = a.fma(b1, cb1);
        }
        int k1 = cOff + 9 * ldc, k2 = k1 + 9 * ldc, k3 = k2 + 9 * ldc;
        // Stores spelled out: a helper taking vectors may be called out of line past C2's inlining budget, and
        // then every vector passed to it is boxed.
        { int ci = cOff; FloatVector.fromArray(S, c, ci).add(c00).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c01).intoArray(c, ci + L); }
        { int ci = cOff + ldc; FloatVector.fromArray(S, c, ci).add(c10).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c11).intoArray(c, ci + L); }
        { int ci = cOff + 2 * ldc; FloatVector.fromArray(S, c, ci).add(c20).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c21).intoArray(c, ci + L); }
        { int ci = k1; FloatVector.fromArray(S, c, ci).add(c30).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c31).intoArray(c, ci + L); }
        { int ci = k1 + ldc; FloatVector.fromArray(S, c, ci).add(c40).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c41).intoArray(c, ci + L); }
        { int ci = k1 + 2 * ldc; FloatVector.fromArray(S, c, ci).add(c50).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c51).intoArray(c, ci + L); }
        { int ci = k2; FloatVector.fromArray(S, c, ci).add(c60).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c61).intoArray(c, ci + L); }
        { int ci = k2 + ldc; FloatVector.fromArray(S, c, ci).add(c70).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c71).intoArray(c, ci + L); }
        { int ci = k2 + 2 * ldc; FloatVector.fromArray(S, c, ci).add(c80).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c81).intoArray(c, ci + L); }
        { int ci = k3; FloatVector.fromArray(S, c, ci).add(c90).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(c91).intoArray(c, ci + L); }
        { int ci = k3 + ldc; FloatVector.fromArray(S, c, ci).add(ca0).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(ca1).intoArray(c, ci + L); }
        { int ci = k3 + 2 * ldc; FloatVector.fromArray(S, c, ci).add(cb0).intoArray(c, ci); FloatVector.fromArray(S, c, ci + L).add(cb1).intoArray(c, ci + L); }
    }

    static void gradient1x2(int kc, float[] x, int x0, float[] b, int bOff, float[] c, int cOff) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * 2 * L;
            FloatVector a = FloatVector.broadcast(S, x[x0 + p]);
            c0 = a.fma(FloatVector.fromArray(S, b, bi), c0);
            c1 = a.fma(FloatVector.fromArray(S, b, bi + L), c1);
        }
        FloatVector.fromArray(S, c, cOff).add(c0).intoArray(c, cOff);
        FloatVector.fromArray(S, c, cOff + L).add(c1).intoArray(c, cOff + L);
    }

    /** {@code dw[o][r] += dwT[r][o]} for the {@code (cout, cin, 3, 3)} gradient dw and {@link #weightGradientGemm}'s dwT. */
    public static void addTransposed(int cin, int cout, float[] dwT, float[] dw, int dwOff) {
        int rows = 9 * cin, cols = gradientColumns(cout);
        checkRange("dwT", dwT, 0, rows * cols);
        checkRange("dw", dw, dwOff, cout * rows);
        for (int o = 0; o < cout; o++) {
            for (int r = 0; r < rows; r++) dw[dwOff + o * rows + r] += dwT[r * cols + o];
        }
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
