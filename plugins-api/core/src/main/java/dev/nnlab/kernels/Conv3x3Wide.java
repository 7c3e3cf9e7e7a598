package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Conv3x3#forwardImage} with a register tile for 32 vector registers (AVX-512): 4 output channels x 4
 * vectors of pixels, 16 accumulators. {@link Conv3x3}'s 4 x 2 tile issues 6 loads (2 of pixels, 4 weight
 * broadcasts) per 8 FMAs, so on a core that retires 2 FMAs and 2 vector loads a cycle the loads are the limit;
 * 4 x 4 issues 8 per 16. Measured on a Zen 5 core at 512 bits (thread CPU time, batch 128, ResNet-20's 16 x
 * 32x32 and 32 x 16x16 layers): see {@code ResNetLayerSpeed}. With 16 registers (AVX2) the tile would spill, so
 * it is used only where {@link #fits} holds.
 *
 * <p>Every output is the same sum in the same order as {@link Conv3x3#forwardImage}'s (bias first, then the
 * taps in packed order), so the bits are the same.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Conv3x3Wide {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final int BLOCK = Conv3x3.BLOCK;

    private Conv3x3Wide() {}

    /** Floats per vector. */
    public static int lanes() { return L; }

    /** True when {@link #forwardImage} runs this size: 16-lane vectors and an image of whole tiles of 4 vectors. */
    public static boolean fits(int height, int width) {
        return L >= 16 && Conv3x3.imageTiled(height, width) && (height * (width / L)) % 4 == 0;
    }

    /** {@link Conv3x3#forwardImage}, same arguments and result, for sizes where {@link #fits} holds. */
    public static void forwardImage(int cin, int cout, int height, int width, float[] packed, float[] bias, int biasOff,
                                    float[] x, int xOff, int channelStride, float[] y, int yOff, int yStride) {
        if (!fits(height, width)) {
            throw new IllegalArgumentException("Conv3x3Wide.forwardImage needs 16-lane vectors and a width of whole vectors"
                    + " with a multiple of 4 vectors per image, got " + height + "x" + width + " at " + L + " lanes");
        }
        int wp = Conv3x3.paddedWidth(width), ps = Conv3x3.planeStride(height, width), pixels = height * width;
        if (channelStride < ps || yStride < pixels) throw new IllegalArgumentException("stride too small");
        checkRange("packed", packed, 0, cin * cout * 9);
        checkRange("x", x, xOff, (cin - 1) * channelStride + ps);
        checkRange("y", y, yOff, (cout - 1) * yStride + pixels);
        if (bias != null) checkRange("bias", bias, biasOff, cout);
        int full = cout / BLOCK * BLOCK, perRow = width / L, vectors = height * perRow;
        for (int o = 0; o < full; o += BLOCK) {
            int w0 = o * cin * 9;
            float b0 = bias == null ? 0f : bias[biasOff + o], b1 = bias == null ? 0f : bias[biasOff + o + 1];
            float b2 = bias == null ? 0f : bias[biasOff + o + 2], b3 = bias == null ? 0f : bias[biasOff + o + 3];
            for (int v = 0; v < vectors; v += 4) {
                int q0 = at(v, perRow, wp);
                forward4x4(cin, channelStride, wp, packed, w0, b0, b1, b2, b3, x, xOff + q0, at(v + 1, perRow, wp) - q0,
                        at(v + 2, perRow, wp) - q0, at(v + 3, perRow, wp) - q0, y, yOff + o * yStride + v * L, yStride);
            }
        }
        // The tap table only for channels past the last block of 4 (none in ResNet): one per call, that is per sample,
        // was about 0.45 GB of garbage in 50 s of W4 (JFR allocation samples).
        int[] taps = full == cout ? null : new int[cin * 9];
        for (int c = 0; taps != null && c < cin; c++) {
            for (int t = 0; t < 9; t++) taps[c * 9 + t] = c * channelStride + t / 3 * wp + t % 3;
        }
        for (int o = full; o < cout; o++) {
            int w0 = full * cin * 9 + (o - full) * cin * 9;
            float b = bias == null ? 0f : bias[biasOff + o];
            for (int v = 0; v < vectors; v += 2) {
                int q0 = at(v, perRow, wp);
                Conv3x3.forward1x2(taps, packed, w0, b, x, xOff + q0, at(v + 1, perRow, wp) - q0, y, yOff + o * yStride + v * L);
            }
        }
    }

    /** Where vector v of an image (rows of {@code perRow} vectors) starts in its padded plane, relative to the first output. */
    private static int at(int v, int perRow, int wp) {
        return v / perRow * wp + v % perRow * L;
    }

    /**
     * The stride-1 tile: {@link #forward4x4(int[], float[], int, float, float, float, float, float[], int, int, int, int,
     * float[], int, int)} with the taps of {@code cin} padded planes {@code cs} apart, rows {@code wp} wide, computed
     * in the loop rather than read from a table. The same loads and FMAs in the same order, but the table version's
     * loop over 9 cin taps was not unrolled and kept about 35 scalar instructions (table read, 4 bounds checks,
     * integers spilled to vector registers) per 16 FMAs; with the 9 taps of a channel unrolled, the tile alone ran
     * 166 to 200 GFLOPS on one Zen 5 core at 512 bits (16 x 32x32 to 16; FMA peak about 222).
     */
    static void forward4x4(int cin, int cs, int wp, float[] w, int wi, float b0, float b1, float b2, float b3,
                           float[] x, int xq, int d1, int d2, int d3, float[] y, int yq, int ys) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10, a13 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20, a23 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30, a33 = a30;
        for (int c = 0; c < cin; c++) {
            int row = xq + c * cs;
            for (int i = 0; i < 3; i++, row += wp) {
                for (int j = 0; j < 3; j++, wi += BLOCK) {
                    int xa = row + j;
                    FloatVector x0 = FloatVector.fromArray(S, x, xa);
                    FloatVector x1 = FloatVector.fromArray(S, x, xa + d1);
                    FloatVector x2 = FloatVector.fromArray(S, x, xa + d2);
                    FloatVector x3 = FloatVector.fromArray(S, x, xa + d3);
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

    static void forward4x4(int[] taps, float[] w, int wi, float b0, float b1, float b2, float b3,
                                   float[] x, int xq, int d1, int d2, int d3, float[] y, int yq, int ys) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10, a13 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20, a23 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30, a33 = a30;
        for (int t = 0; t < taps.length; t++, wi += BLOCK) {
            int xa = xq + taps[t];
            FloatVector x0 = FloatVector.fromArray(S, x, xa);
            FloatVector x1 = FloatVector.fromArray(S, x, xa + d1);
            FloatVector x2 = FloatVector.fromArray(S, x, xa + d2);
            FloatVector x3 = FloatVector.fromArray(S, x, xa + d3);
            FloatVector v = FloatVector.broadcast(S, w[wi]);
            a00 = x0.fma(v, a00); a01 = x1.fma(v, a01); a02 = x2.fma(v, a02); a03 = x3.fma(v, a03);
            v = FloatVector.broadcast(S, w[wi + 1]);
            a10 = x0.fma(v, a10); a11 = x1.fma(v, a11); a12 = x2.fma(v, a12); a13 = x3.fma(v, a13);
            v = FloatVector.broadcast(S, w[wi + 2]);
            a20 = x0.fma(v, a20); a21 = x1.fma(v, a21); a22 = x2.fma(v, a22); a23 = x3.fma(v, a23);
            v = FloatVector.broadcast(S, w[wi + 3]);
            a30 = x0.fma(v, a30); a31 = x1.fma(v, a31); a32 = x2.fma(v, a32); a33 = x3.fma(v, a33);
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
     * {@link Conv3x3#weightGradient}, same arguments and the same sum up to rounding, with a tile for 32 registers:
     * 2 output channels x the 9 taps of one input channel ({@link GradientTile2x9}), 18 accumulators, 11 loads (9 shifted runs of x, 2 of the
     * gradient) per 18 FMAs, where {@link Conv3x3}'s 3 x 3 tile issues 6 per 9. Each sum runs along the lanes and is
     * reduced once per call, so a call should cover a few thousand floats per channel (a group of samples).
     */
    public static void weightGradient(int cin, int cout, int height, int width, int samples,
                                      float[] dy, int dyOff, int dyStride, float[] x, int xOff, int xStride,
                                      float[] dw, int dwOff) {
        if (L < 16) {
            Conv3x3.weightGradient(cin, cout, height, width, samples, dy, dyOff, dyStride, x, xOff, xStride, dw, dwOff);
            return;
        }
        int wp = Conv3x3.paddedWidth(width), ps = Conv3x3.planeStride(height, width), n = samples * ps;
        if (samples < 0) throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        if (dyStride < n || xStride < n) throw new IllegalArgumentException("channel stride less than " + n);
        checkRange("dy", dy, dyOff, (cout - 1) * dyStride + n + wp + 1);
        checkRange("x", x, xOff, (cin - 1) * xStride + n + 2 * wp + 2);
        checkRange("dw", dw, dwOff, cout * cin * 9);
        // The 9 taps of channel c: shifts of one padded plane, rows wp apart.
        int[][] at = new int[cin][9];
        float[] sums = new float[GradientTile2x9.sumsLength()];
        for (int c = 0; c < cin; c++) {
            for (int t = 0; t < 9; t++) at[c][t] = xOff + c * xStride + t / 3 * wp + t % 3;
        }
        int o = 0;
        for (; o + 2 <= cout; o += 2) {
            for (int c = 0; c < cin; c++) {
                GradientTile2x9.accumulate(n, dy, dyOff + o * dyStride + wp + 1, dyStride, x, at[c], dw, dwOff + (o * cin + c) * 9, cin * 9, sums);
            }
        }
        if (o < cout) {
            // The last output channel: the 2 x 9 tile with its second channel reading the first again, its sums dropped.
            float[] spare = new float[cin * 9 * 2];
            for (int c = 0; c < cin; c++) {
                GradientTile2x9.accumulate(n, dy, dyOff + o * dyStride + wp + 1, 0, x, at[c], spare, c * 9, cin * 9, sums);
            }
            for (int k = 0; k < cin * 9; k++) dw[dwOff + o * cin * 9 + k] += spare[k];
        }
    }

    static void checkRange(String what, float[] a, int off, int length) {
        if (off < 0 || length < 0 || (long) off + length > a.length) {
            throw new IndexOutOfBoundsException(what + ": " + length + " floats at offset " + off
                    + " do not fit an array of " + a.length);
        }
    }
}
