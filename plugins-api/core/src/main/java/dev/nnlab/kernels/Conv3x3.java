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
 * {@link #crop} copies back to an image. Because every read stays inside its own plane (zeros past
 * the image), those extra columns cost arithmetic only, never a branch or a mask.
 *
 * <p>Register tiles: {@link #forward} accumulates 4 output channels x {@link #tileVectors} vectors of
 * pixels (12 or 8 accumulators; 3 vectors unless 2 waste clearly less of the last tile on this image), each
 * input float loaded once per tap for 4 channels, each weight broadcast once per 3 vectors.
 * {@link #weightGradient} accumulates 4 output channels x the 3 column taps of one kernel row over
 * the pixels of several samples, reducing the vectors to sums once per call.
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
    /** Output channels per register tile. */
    static final int BLOCK = 4;

    private Conv3x3() {}

    /** Floats per padded row: one zero column either side of the image. */
    public static int paddedWidth(int width) { return width + 2; }

    /**
     * Vectors of output pixels per forward tile for this image: 3, or 2 when that rounds the flat length up
     * by at least a tenth less (8 accumulators hide the FMA latency less well than 12).
     */
    public static int tileVectors(int height, int width) {
        int pixels = height * paddedWidth(width);
        return 10 * roundUp(pixels, 2 * L) < 9 * roundUp(pixels, 3 * L) ? 2 : 3;
    }

    /** Floats per channel of a flat output: {@code h wp} rounded up to whole forward tiles. */
    public static int flatLength(int height, int width) {
        return roundUp(height * paddedWidth(width), tileVectors(height, width) * L);
    }

    /** Floats per padded plane: room for every read of the last tile of a flat output, in whole vectors. */
    public static int planeStride(int height, int width) {
        int wp = paddedWidth(width);
        return roundUp(flatLength(height, width) + 2 * wp + 2, L);
    }

    /**
     * Writes {@code channels} images {@code (h, w)} from {@code src} into the interiors of padded planes at
     * {@code dst}; the zeros around them (written once, when dst was allocated) are left as they are.
     */
    public static void pad(int channels, int height, int width, float[] src, int srcOff, float[] dst, int dstOff) {
        int wp = paddedWidth(width), ps = planeStride(height, width);
        checkRange("src", src, srcOff, channels * height * width);
        checkRange("dst", dst, dstOff, channels * ps);
        for (int c = 0; c < channels; c++) {
            int s = srcOff + c * height * width, d = dstOff + c * ps + wp + 1;
            for (int h = 0; h < height; h++, s += width, d += wp) System.arraycopy(src, s, dst, d, width);
        }
    }

    /** Copies {@code channels} flat outputs (rows {@code wp} wide, {@link #flatLength} apart) back to images {@code (h, w)}. */
    public static void crop(int channels, int height, int width, float[] flat, int flatOff, float[] dst, int dstOff) {
        int wp = paddedWidth(width), lq = flatLength(height, width);
        checkRange("flat", flat, flatOff, channels * lq);
        checkRange("dst", dst, dstOff, channels * height * width);
        for (int c = 0; c < channels; c++) {
            int s = flatOff + c * lq, d = dstOff + c * height * width;
            for (int h = 0; h < height; h++, s += wp, d += width) System.arraycopy(flat, s, dst, d, width);
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
     * [0, {@link #flatLength}): {@code x} holds {@code cin} padded planes, {@code y} receives {@code cout} flat
     * outputs, {@code packed} comes from {@link #packWeights}. {@code bias} may be null (zero).
     */
    public static void forward(int cin, int cout, int height, int width, float[] packed, float[] bias, int biasOff,
                               float[] x, int xOff, float[] y, int yOff) {
        int wp = paddedWidth(width), lq = flatLength(height, width), ps = planeStride(height, width);
        checkRange("packed", packed, 0, cin * cout * 9);
        checkRange("x", x, xOff, cin * ps);
        checkRange("y", y, yOff, cout * lq);
        if (bias != null) checkRange("bias", bias, biasOff, cout);
        int full = cout / BLOCK * BLOCK;
        if (!VectorWidth.VECTORIZED) {
            for (int o = 0; o < cout; o++) {
                for (int q = 0; q < lq; q++) {
                    float s = bias == null ? 0f : bias[biasOff + o];
                    for (int c = 0; c < cin; c++) {
                        for (int t = 0; t < 9; t++) {
                            s += packed[packedIndex(o, c, t, cin, full)] * x[xOff + c * ps + q + t / 3 * wp + t % 3];
                        }
                    }
                    y[yOff + o * lq + q] = s;
                }
            }
            return;
        }
        int tile = tileVectors(height, width) * L;
        for (int o = 0; o < full; o += BLOCK) {
            int w0 = o * cin * 9;
            float b0 = bias == null ? 0f : bias[biasOff + o], b1 = bias == null ? 0f : bias[biasOff + o + 1];
            float b2 = bias == null ? 0f : bias[biasOff + o + 2], b3 = bias == null ? 0f : bias[biasOff + o + 3];
            for (int q = 0; q < lq; q += tile) {
                if (tile == 3 * L) forward4x3(cin, wp, ps, packed, w0, b0, b1, b2, b3, x, xOff + q, y, yOff + o * lq + q, lq);
                else forward4x2(cin, wp, ps, packed, w0, b0, b1, b2, b3, x, xOff + q, y, yOff + o * lq + q, lq);
            }
        }
        for (int o = full; o < cout; o++) {
            int w0 = full * cin * 9 + (o - full) * cin * 9;
            float b = bias == null ? 0f : bias[biasOff + o];
            for (int q = 0; q < lq; q += tile) {
                if (tile == 3 * L) forward1x3(cin, wp, ps, packed, w0, b, x, xOff + q, y, yOff + o * lq + q);
                else forward1x2(cin, wp, ps, packed, w0, b, x, xOff + q, y, yOff + o * lq + q);
            }
        }
    }

    private static void forward4x3(int cin, int wp, int ps, float[] w, int wi, float b0, float b1, float b2, float b3,
                                   float[] x, int xq, float[] y, int yq, int lq) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00, a02 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10, a12 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20, a22 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30, a32 = a30;
        for (int c = 0; c < cin; c++) {
            int xc = xq + c * ps;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++, wi += BLOCK) {
                    int xa = xc + i * wp + j;
                    FloatVector x0 = FloatVector.fromArray(S, x, xa);
                    FloatVector x1 = FloatVector.fromArray(S, x, xa + L);
                    FloatVector x2 = FloatVector.fromArray(S, x, xa + 2 * L);
                    FloatVector v = FloatVector.broadcast(S, w[wi]);
                    a00 = x0.fma(v, a00); a01 = x1.fma(v, a01); a02 = x2.fma(v, a02);
                    v = FloatVector.broadcast(S, w[wi + 1]);
                    a10 = x0.fma(v, a10); a11 = x1.fma(v, a11); a12 = x2.fma(v, a12);
                    v = FloatVector.broadcast(S, w[wi + 2]);
                    a20 = x0.fma(v, a20); a21 = x1.fma(v, a21); a22 = x2.fma(v, a22);
                    v = FloatVector.broadcast(S, w[wi + 3]);
                    a30 = x0.fma(v, a30); a31 = x1.fma(v, a31); a32 = x2.fma(v, a32);
                }
            }
        }
        a00.intoArray(y, yq); a01.intoArray(y, yq + L); a02.intoArray(y, yq + 2 * L);
        a10.intoArray(y, yq + lq); a11.intoArray(y, yq + lq + L); a12.intoArray(y, yq + lq + 2 * L);
        a20.intoArray(y, yq + 2 * lq); a21.intoArray(y, yq + 2 * lq + L); a22.intoArray(y, yq + 2 * lq + 2 * L);
        a30.intoArray(y, yq + 3 * lq); a31.intoArray(y, yq + 3 * lq + L); a32.intoArray(y, yq + 3 * lq + 2 * L);
    }

    private static void forward4x2(int cin, int wp, int ps, float[] w, int wi, float b0, float b1, float b2, float b3,
                                   float[] x, int xq, float[] y, int yq, int lq) {
        FloatVector a00 = FloatVector.broadcast(S, b0), a01 = a00;
        FloatVector a10 = FloatVector.broadcast(S, b1), a11 = a10;
        FloatVector a20 = FloatVector.broadcast(S, b2), a21 = a20;
        FloatVector a30 = FloatVector.broadcast(S, b3), a31 = a30;
        for (int c = 0; c < cin; c++) {
            int xc = xq + c * ps;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++, wi += BLOCK) {
                    int xa = xc + i * wp + j;
                    FloatVector x0 = FloatVector.fromArray(S, x, xa);
                    FloatVector x1 = FloatVector.fromArray(S, x, xa + L);
                    FloatVector v = FloatVector.broadcast(S, w[wi]);
                    a00 = x0.fma(v, a00); a01 = x1.fma(v, a01);
                    v = FloatVector.broadcast(S, w[wi + 1]);
                    a10 = x0.fma(v, a10); a11 = x1.fma(v, a11);
                    v = FloatVector.broadcast(S, w[wi + 2]);
                    a20 = x0.fma(v, a20); a21 = x1.fma(v, a21);
                    v = FloatVector.broadcast(S, w[wi + 3]);
                    a30 = x0.fma(v, a30); a31 = x1.fma(v, a31);
                }
            }
        }
        a00.intoArray(y, yq); a01.intoArray(y, yq + L);
        a10.intoArray(y, yq + lq); a11.intoArray(y, yq + lq + L);
        a20.intoArray(y, yq + 2 * lq); a21.intoArray(y, yq + 2 * lq + L);
        a30.intoArray(y, yq + 3 * lq); a31.intoArray(y, yq + 3 * lq + L);
    }

    private static void forward1x3(int cin, int wp, int ps, float[] w, int wi, float b,
                                   float[] x, int xq, float[] y, int yq) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = a0, a2 = a0;
        for (int c = 0; c < cin; c++) {
            int xc = xq + c * ps;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++, wi++) {
                    int xa = xc + i * wp + j;
                    FloatVector v = FloatVector.broadcast(S, w[wi]);
                    a0 = FloatVector.fromArray(S, x, xa).fma(v, a0);
                    a1 = FloatVector.fromArray(S, x, xa + L).fma(v, a1);
                    a2 = FloatVector.fromArray(S, x, xa + 2 * L).fma(v, a2);
                }
            }
        }
        a0.intoArray(y, yq); a1.intoArray(y, yq + L); a2.intoArray(y, yq + 2 * L);
    }

    private static void forward1x2(int cin, int wp, int ps, float[] w, int wi, float b,
                                   float[] x, int xq, float[] y, int yq) {
        FloatVector a0 = FloatVector.broadcast(S, b), a1 = a0;
        for (int c = 0; c < cin; c++) {
            int xc = xq + c * ps;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++, wi++) {
                    int xa = xc + i * wp + j;
                    FloatVector v = FloatVector.broadcast(S, w[wi]);
                    a0 = FloatVector.fromArray(S, x, xa).fma(v, a0);
                    a1 = FloatVector.fromArray(S, x, xa + L).fma(v, a1);
                }
            }
        }
        a0.intoArray(y, yq); a1.intoArray(y, yq + L);
    }

    /**
     * {@code dw[o][c][i][j] += sum_s sum_{q < flatLength} dy[s][o][q + wp + 1] x[s][c][q + i wp + j]}: the weight
     * gradient over {@code samples} samples, each {@code cout} padded planes of the output gradient at
     * {@code dyOff + s cout planeStride} and {@code cin} padded planes of the input at {@code xOff + s cin planeStride}.
     * {@code dw} is {@code (cout, cin, 3, 3)}. The padded gradient's zeros make the columns past the image add nothing.
     */
    public static void weightGradient(int cin, int cout, int height, int width, int samples,
                                      float[] dy, int dyOff, float[] x, int xOff, float[] dw, int dwOff) {
        int wp = paddedWidth(width), lq = flatLength(height, width), ps = planeStride(height, width);
        if (samples < 0) throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        checkRange("dy", dy, dyOff, samples * cout * ps);
        checkRange("x", x, xOff, samples * cin * ps);
        checkRange("dw", dw, dwOff, cout * cin * 9);
        if (!VectorWidth.VECTORIZED) {
            for (int o = 0; o < cout; o++) {
                for (int c = 0; c < cin; c++) {
                    for (int t = 0; t < 9; t++) {
                        float sum = 0f;
                        for (int s = 0; s < samples; s++) {
                            int d = dyOff + (s * cout + o) * ps + wp + 1, xc = xOff + (s * cin + c) * ps + t / 3 * wp + t % 3;
                            for (int q = 0; q < lq; q++) sum += dy[d + q] * x[xc + q];
                        }
                        dw[dwOff + (o * cin + c) * 9 + t] += sum;
                    }
                }
            }
            return;
        }
        int full = cout / BLOCK * BLOCK;
        for (int o = 0; o < full; o += BLOCK) {
            for (int c = 0; c < cin; c++) {
                for (int i = 0; i < 3; i++) {
                    weightGradient4x3(samples, cin, cout, lq, ps, dy, dyOff + o * ps + wp + 1,
                            x, xOff + c * ps + i * wp, dw, dwOff + (o * cin + c) * 9 + i * 3, cin * 9);
                }
            }
        }
        for (int o = full; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int i = 0; i < 3; i++) {
                    weightGradient1x3(samples, cin, cout, lq, ps, dy, dyOff + o * ps + wp + 1,
                            x, xOff + c * ps + i * wp, dw, dwOff + (o * cin + c) * 9 + i * 3);
                }
            }
        }
    }

    /** One kernel row (3 taps) of 4 output channels against one input channel: 12 accumulators. */
    private static void weightGradient4x3(int samples, int cin, int cout, int lq, int ps, float[] dy, int d0,
                                          float[] x, int x0, float[] dw, int w0, int fstride) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a30 = a00, a31 = a00, a32 = a00;
        for (int s = 0; s < samples; s++) {
            int d = d0 + s * cout * ps, xs = x0 + s * cin * ps;
            for (int q = 0; q < lq; q += L) {
                FloatVector v0 = FloatVector.fromArray(S, x, xs + q);
                FloatVector v1 = FloatVector.fromArray(S, x, xs + q + 1);
                FloatVector v2 = FloatVector.fromArray(S, x, xs + q + 2);
                FloatVector g = FloatVector.fromArray(S, dy, d + q);
                a00 = v0.fma(g, a00); a01 = v1.fma(g, a01); a02 = v2.fma(g, a02);
                g = FloatVector.fromArray(S, dy, d + ps + q);
                a10 = v0.fma(g, a10); a11 = v1.fma(g, a11); a12 = v2.fma(g, a12);
                g = FloatVector.fromArray(S, dy, d + 2 * ps + q);
                a20 = v0.fma(g, a20); a21 = v1.fma(g, a21); a22 = v2.fma(g, a22);
                g = FloatVector.fromArray(S, dy, d + 3 * ps + q);
                a30 = v0.fma(g, a30); a31 = v1.fma(g, a31); a32 = v2.fma(g, a32);
            }
        }
        dw[w0] += a00.reduceLanes(VectorOperators.ADD);
        dw[w0 + 1] += a01.reduceLanes(VectorOperators.ADD);
        dw[w0 + 2] += a02.reduceLanes(VectorOperators.ADD);
        dw[w0 + fstride] += a10.reduceLanes(VectorOperators.ADD);
        dw[w0 + fstride + 1] += a11.reduceLanes(VectorOperators.ADD);
        dw[w0 + fstride + 2] += a12.reduceLanes(VectorOperators.ADD);
        dw[w0 + 2 * fstride] += a20.reduceLanes(VectorOperators.ADD);
        dw[w0 + 2 * fstride + 1] += a21.reduceLanes(VectorOperators.ADD);
        dw[w0 + 2 * fstride + 2] += a22.reduceLanes(VectorOperators.ADD);
        dw[w0 + 3 * fstride] += a30.reduceLanes(VectorOperators.ADD);
        dw[w0 + 3 * fstride + 1] += a31.reduceLanes(VectorOperators.ADD);
        dw[w0 + 3 * fstride + 2] += a32.reduceLanes(VectorOperators.ADD);
    }

    private static void weightGradient1x3(int samples, int cin, int cout, int lq, int ps, float[] dy, int d0,
                                          float[] x, int x0, float[] dw, int w0) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0;
        for (int s = 0; s < samples; s++) {
            int d = d0 + s * cout * ps, xs = x0 + s * cin * ps;
            for (int q = 0; q < lq; q += L) {
                FloatVector g = FloatVector.fromArray(S, dy, d + q);
                a0 = FloatVector.fromArray(S, x, xs + q).fma(g, a0);
                a1 = FloatVector.fromArray(S, x, xs + q + 1).fma(g, a1);
                a2 = FloatVector.fromArray(S, x, xs + q + 2).fma(g, a2);
            }
        }
        dw[w0] += a0.reduceLanes(VectorOperators.ADD);
        dw[w0 + 1] += a1.reduceLanes(VectorOperators.ADD);
        dw[w0 + 2] += a2.reduceLanes(VectorOperators.ADD);
    }

    private static void checkRange(String what, float[] a, int off, int length) {
        if (off < 0 || length < 0 || (long) off + length > a.length) {
            throw new IndexOutOfBoundsException(what + ": " + length + " floats at offset " + off
                    + " do not fit an array of " + a.length);
        }
    }

    private static int roundUp(int x, int m) { return (x + m - 1) / m * m; }
}
