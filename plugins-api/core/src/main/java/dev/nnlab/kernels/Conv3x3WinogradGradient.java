package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of {@link Conv3x3Winograd}'s convolution by the same transforms. With {@code Y = A^T M A} per
 * tile and {@code M[xi] = U[xi] V[xi]}, the gradient of the transformed filters is
 * {@code dU[xi] = sum over tiles of dM[xi] V[xi]^T} with {@code dM = A dY A^T} (4x4 from each 2x2 block of the output
 * gradient), and the filters' is {@code dW = G^T dU G}: 16 products {@code (cout x tiles) (tiles x cin)}, 2.25 times
 * fewer multiply-adds than the direct weight gradient, summed over all the samples of a call before the last transform.
 *
 * <p>The products run along the tiles: the transformed input of a block is transposed (16 x 16 in registers) so that
 * input channels lie along the lanes, and {@code dM} is broadcast, 4 outputs x 4 vectors of input channels (or 8 x 2)
 * at a time. The sums {@code dU} are kept per caller ({@link #sumsLength}), so that a part of a batch sums its own and
 * the parts can be added in a fixed order.
 *
 * <p>Runs where {@link Conv3x3Winograd#fits} and the input channels are a multiple of 32 ({@link #fits}).
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Conv3x3WinogradGradient {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    private static final int POSITIONS = Conv3x3Winograd.POSITIONS, BLOCK_TILES = Conv3x3Winograd.BLOCK_TILES;

    private Conv3x3WinogradGradient() {}

    /** True when {@link #accumulate} runs this shape. */
    public static boolean fits(int cin, int cout, int height, int width) {
        return Conv3x3Winograd.fits(cin, cout, height, width) && cin % (2 * L) == 0;
    }

    /** Floats of the transformed sums {@code dU[xi][out][in]}. */
    public static int sumsLength(int cin, int cout) {
        return POSITIONS * cout * cin;
    }

    /** Floats of scratch {@link #accumulate} needs: a block's transformed input, the same transposed, and its {@code dM}. */
    public static int scratchLength(int cin, int cout) {
        return POSITIONS * (Conv3x3Winograd.plane(cin) + BLOCK_TILES * cin + Conv3x3Winograd.plane(cout));
    }

    /**
     * Adds to {@code du} the transformed weight gradient of {@code count} samples: sample s's {@code cin} input images
     * ({@code channelStride} apart, not padded) at {@code xOff + s xSample}, its {@code cout} output-gradient images
     * ({@code dyStride} apart) at {@code dyOff + s dySample}. {@link #finish} turns the sums into the filters' gradient.
     */
    public static void accumulate(int cin, int cout, int height, int width, float[] x, int xOff, int xSample, int channelStride,
                                  float[] dy, int dyOff, int dySample, int dyStride, int count, float[] du, float[] scratch) {
        if (!fits(cin, cout, height, width)) {
            throw new IllegalArgumentException("Conv3x3WinogradGradient does not run " + cin + " -> " + cout + " channels of "
                    + height + "x" + width + " at " + L + " lanes");
        }
        int pixels = height * width, tiles = Conv3x3Winograd.tiles(height, width);
        if (channelStride < pixels || dyStride < pixels || count < 1) throw new IllegalArgumentException("stride too small, or no samples");
        Conv3x3Wide.checkRange("x", x, xOff, (count - 1) * xSample + (cin - 1) * channelStride + pixels);
        Conv3x3Wide.checkRange("dy", dy, dyOff, (count - 1) * dySample + (cout - 1) * dyStride + pixels);
        Conv3x3Wide.checkRange("du", du, 0, sumsLength(cin, cout));
        Conv3x3Wide.checkRange("scratch", scratch, 0, scratchLength(cin, cout));
        int vPlane = Conv3x3Winograd.plane(cin), transposed = POSITIONS * vPlane, gradients = transposed + POSITIONS * BLOCK_TILES * cin;
        int total = count * tiles, vectors = BLOCK_TILES / L;
        for (int g = 0; g < total; g += BLOCK_TILES) {
            for (int k = 0; k < vectors; k++) {
                int t = g + k * L, s = t / tiles;
                if (t < total) {
                    Conv3x3Winograd.transformInput(cin, height, width, x, xOff + s * xSample, channelStride, t - s * tiles, scratch, k * L);
                    transformGradient(cout, height, width, t - s * tiles, dy, dyOff + s * dySample, dyStride, scratch, gradients + k * L);
                } else {
                    // Past the last sample: zeros, which add nothing (stale values there could be infinite).
                    Conv3x3Winograd.clearInput(cin, scratch, k * L);
                    Conv3x3Winograd.clearInput(cout, scratch, gradients + k * L);
                }
            }
            for (int xi = 0; xi < POSITIONS; xi++) {
                for (int c = 0; c < cin; c += L) {
                    for (int t = 0; t < BLOCK_TILES; t += L) {
                        transpose(scratch, xi * vPlane + c * BLOCK_TILES + t, BLOCK_TILES, scratch, transposed + (xi * BLOCK_TILES + t) * cin + c, cin);
                    }
                }
            }
            multiply(cin, cout, scratch, gradients, scratch, transposed, du);
        }
    }

    /** {@code dw[(o cin + c) 9 + 3 p + q] += (G^T dU[.][o][c] G)[p][q]}, {@code G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]}. */
    public static void finish(int cin, int cout, float[] du, float[] dw, int dwOff) {
        Conv3x3Wide.checkRange("du", du, 0, sumsLength(cin, cout));
        Conv3x3Wide.checkRange("dw", dw, dwOff, cin * cout * 9);
        int pair = cout * cin;
        float[] h = new float[12];
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                int at = o * cin + c;
                // Rows first: h[p][j] = sum_i G[i][p] dU[i][j].
                for (int j = 0; j < 4; j++) {
                    float u0 = du[j * pair + at], u1 = du[(4 + j) * pair + at], u2 = du[(8 + j) * pair + at], u3 = du[(12 + j) * pair + at];
                    h[j] = u0 + 0.5f * (u1 + u2);
                    h[4 + j] = 0.5f * (u1 - u2);
                    h[8 + j] = 0.5f * (u1 + u2) + u3;
                }
                int d = dwOff + at * 9;
                for (int p = 0; p < 3; p++) {
                    float a = h[4 * p], b = h[4 * p + 1], e = h[4 * p + 2], f = h[4 * p + 3];
                    dw[d + 3 * p] += a + 0.5f * (b + e);
                    dw[d + 3 * p + 1] += 0.5f * (b - e);
                    dw[d + 3 * p + 2] += 0.5f * (b + e) + f;
                }
            }
        }
    }

    private static final VectorShuffle<Float> EVENS = Conv3x3Stride2Wide.EVENS, ODDS = Conv3x3Stride2Wide.ODDS;
    private static final VectorMask<Float> HIGH_HALF = VectorMask.fromLong(S, L == 16 ? 0xFF00L : 0L);

    /**
     * For an output 8 wide (4 blocks per row, 4 block rows per vector): from the two vectors of 4 image rows (16 floats
     * each pair of rows), lanes 0-7 ({@code high} false) or 8-15 take column {@code 2 tx + j} of row {@code a} of the
     * first pair's top block row, then of the second's.
     */
    private static VectorShuffle<Float> quarterBlocks(int a, int j, boolean high) {
        return Conv3x3Stride2Wide.selector(i -> {
            int k = high ? i - L / 2 : i;
            if (k < 0 || k >= L / 2) return 0;
            return k < 4 ? 8 * a + 2 * k + j : L + 8 * a + 2 * (k - 4) + j;
        });
    }

    private static final VectorShuffle<Float> G00 = quarterBlocks(0, 0, false), G01 = quarterBlocks(0, 1, false),
            G10 = quarterBlocks(1, 0, false), G11 = quarterBlocks(1, 1, false), G00H = quarterBlocks(0, 0, true),
            G01H = quarterBlocks(0, 1, true), G10H = quarterBlocks(1, 0, true), G11H = quarterBlocks(1, 1, true);

    /**
     * {@code dM[xi][o][t] = (A g A^T)[xi]} for the vector of 16 blocks from {@code t0} of one sample's output gradient
     * (images at {@code dyOff}), every output, {@code A = [1 0; 1 1; 1 -1; 0 -1]}, into lane offset {@code mOff}.
     */
    static void transformGradient(int cout, int height, int width, int t0, float[] dy, int dyOff, int dyStride, float[] m, int mOff) {
        int tw = width / 2, plane = Conv3x3Winograd.plane(cout);
        int a = dyOff + 2 * (t0 / tw) * width + 2 * (t0 % tw), b = dyOff + 2 * ((t0 + L / 2) / tw) * width + 2 * ((t0 + L / 2) % tw);
        for (int o = 0; o < cout; o++, a += dyStride, b += dyStride) {
            FloatVector g00, g01, g10, g11;
            if (tw == 4) {
                FloatVector p0 = FloatVector.fromArray(S, dy, a), p1 = FloatVector.fromArray(S, dy, a + L);
                FloatVector q0 = FloatVector.fromArray(S, dy, a + 2 * L), q1 = FloatVector.fromArray(S, dy, a + 3 * L);
                g00 = p0.rearrange(G00, p1).blend(q0.rearrange(G00H, q1), HIGH_HALF);
                g01 = p0.rearrange(G01, p1).blend(q0.rearrange(G01H, q1), HIGH_HALF);
                g10 = p0.rearrange(G10, p1).blend(q0.rearrange(G10H, q1), HIGH_HALF);
                g11 = p0.rearrange(G11, p1).blend(q0.rearrange(G11H, q1), HIGH_HALF);
            } else {
                FloatVector r0 = FloatVector.fromArray(S, dy, a), r1 = FloatVector.fromArray(S, dy, b);
                FloatVector s0 = FloatVector.fromArray(S, dy, a + width), s1 = FloatVector.fromArray(S, dy, b + width);
                g00 = r0.rearrange(EVENS, r1);
                g01 = r0.rearrange(ODDS, r1);
                g10 = s0.rearrange(EVENS, s1);
                g11 = s0.rearrange(ODDS, s1);
            }
            // Rows: h0 = g0, h1 = g0 + g1, h2 = g0 - g1, h3 = -g1; then the same along the columns.
            FloatVector h10 = g00.add(g10), h11 = g01.add(g11), h20 = g00.sub(g10), h21 = g01.sub(g11);
            FloatVector h30 = g10.neg(), h31 = g11.neg();
            int d = mOff + o * BLOCK_TILES;
            g00.intoArray(m, d);
            g00.add(g01).intoArray(m, d + plane);
            g00.sub(g01).intoArray(m, d + 2 * plane);
            g01.neg().intoArray(m, d + 3 * plane);
            d += 4 * plane;
            h10.intoArray(m, d);
            h10.add(h11).intoArray(m, d + plane);
            h10.sub(h11).intoArray(m, d + 2 * plane);
            h11.neg().intoArray(m, d + 3 * plane);
            d += 4 * plane;
            h20.intoArray(m, d);
            h20.add(h21).intoArray(m, d + plane);
            h20.sub(h21).intoArray(m, d + 2 * plane);
            h21.neg().intoArray(m, d + 3 * plane);
            d += 4 * plane;
            h30.intoArray(m, d);
            h30.add(h31).intoArray(m, d + plane);
            h30.sub(h31).intoArray(m, d + 2 * plane);
            h31.neg().intoArray(m, d + 3 * plane);
        }
    }

    /** Lane j of the first result takes lane j of a where bit d of j is clear, else lane j - d of b; the second, j + d of a, else j of b. */
    private static VectorShuffle<Float> low(int d) {
        return Conv3x3Stride2Wide.selector(j -> (j & d) == 0 ? j : L + j - d);
    }

    private static VectorShuffle<Float> high(int d) {
        return Conv3x3Stride2Wide.selector(j -> (j & d) == 0 ? j + d : L + j);
    }

    private static final VectorShuffle<Float> LO8 = low(8), HI8 = high(8), LO4 = low(4), HI4 = high(4), LO2 = low(2), HI2 = high(2),
            LO1 = low(1), HI1 = high(1);

    /** 16 rows of 16 floats ({@code ss} apart from {@code s}) into 16 columns ({@code ds} apart from {@code d}): 4 rounds of two-vector shuffles. */
    static void transpose(float[] v, int s, int ss, float[] t, int d, int ds) {
        FloatVector v0 = FloatVector.fromArray(S, v, s);
        FloatVector v1 = FloatVector.fromArray(S, v, s + 1 * ss);
        FloatVector v2 = FloatVector.fromArray(S, v, s + 2 * ss);
        FloatVector v3 = FloatVector.fromArray(S, v, s + 3 * ss);
        FloatVector v4 = FloatVector.fromArray(S, v, s + 4 * ss);
        FloatVector v5 = FloatVector.fromArray(S, v, s + 5 * ss);
        FloatVector v6 = FloatVector.fromArray(S, v, s + 6 * ss);
        FloatVector v7 = FloatVector.fromArray(S, v, s + 7 * ss);
        FloatVector v8 = FloatVector.fromArray(S, v, s + 8 * ss);
        FloatVector v9 = FloatVector.fromArray(S, v, s + 9 * ss);
        FloatVector v10 = FloatVector.fromArray(S, v, s + 10 * ss);
        FloatVector v11 = FloatVector.fromArray(S, v, s + 11 * ss);
        FloatVector v12 = FloatVector.fromArray(S, v, s + 12 * ss);
        FloatVector v13 = FloatVector.fromArray(S, v, s + 13 * ss);
        FloatVector v14 = FloatVector.fromArray(S, v, s + 14 * ss);
        FloatVector v15 = FloatVector.fromArray(S, v, s + 15 * ss);
        FloatVector t0x0 = v0.rearrange(LO8, v8), t0x8 = v0.rearrange(HI8, v8);
        FloatVector t0x1 = v1.rearrange(LO8, v9), t0x9 = v1.rearrange(HI8, v9);
        FloatVector t0x2 = v2.rearrange(LO8, v10), t0x10 = v2.rearrange(HI8, v10);
        FloatVector t0x3 = v3.rearrange(LO8, v11), t0x11 = v3.rearrange(HI8, v11);
        FloatVector t0x4 = v4.rearrange(LO8, v12), t0x12 = v4.rearrange(HI8, v12);
        FloatVector t0x5 = v5.rearrange(LO8, v13), t0x13 = v5.rearrange(HI8, v13);
        FloatVector t0x6 = v6.rearrange(LO8, v14), t0x14 = v6.rearrange(HI8, v14);
        FloatVector t0x7 = v7.rearrange(LO8, v15), t0x15 = v7.rearrange(HI8, v15);
        FloatVector t1x0 = t0x0.rearrange(LO4, t0x4), t1x4 = t0x0.rearrange(HI4, t0x4);
        FloatVector t1x1 = t0x1.rearrange(LO4, t0x5), t1x5 = t0x1.rearrange(HI4, t0x5);
        FloatVector t1x2 = t0x2.rearrange(LO4, t0x6), t1x6 = t0x2.rearrange(HI4, t0x6);
        FloatVector t1x3 = t0x3.rearrange(LO4, t0x7), t1x7 = t0x3.rearrange(HI4, t0x7);
        FloatVector t1x8 = t0x8.rearrange(LO4, t0x12), t1x12 = t0x8.rearrange(HI4, t0x12);
        FloatVector t1x9 = t0x9.rearrange(LO4, t0x13), t1x13 = t0x9.rearrange(HI4, t0x13);
        FloatVector t1x10 = t0x10.rearrange(LO4, t0x14), t1x14 = t0x10.rearrange(HI4, t0x14);
        FloatVector t1x11 = t0x11.rearrange(LO4, t0x15), t1x15 = t0x11.rearrange(HI4, t0x15);
        FloatVector t2x0 = t1x0.rearrange(LO2, t1x2), t2x2 = t1x0.rearrange(HI2, t1x2);
        FloatVector t2x1 = t1x1.rearrange(LO2, t1x3), t2x3 = t1x1.rearrange(HI2, t1x3);
        FloatVector t2x4 = t1x4.rearrange(LO2, t1x6), t2x6 = t1x4.rearrange(HI2, t1x6);
        FloatVector t2x5 = t1x5.rearrange(LO2, t1x7), t2x7 = t1x5.rearrange(HI2, t1x7);
        FloatVector t2x8 = t1x8.rearrange(LO2, t1x10), t2x10 = t1x8.rearrange(HI2, t1x10);
        FloatVector t2x9 = t1x9.rearrange(LO2, t1x11), t2x11 = t1x9.rearrange(HI2, t1x11);
        FloatVector t2x12 = t1x12.rearrange(LO2, t1x14), t2x14 = t1x12.rearrange(HI2, t1x14);
        FloatVector t2x13 = t1x13.rearrange(LO2, t1x15), t2x15 = t1x13.rearrange(HI2, t1x15);
        FloatVector t3x0 = t2x0.rearrange(LO1, t2x1), t3x1 = t2x0.rearrange(HI1, t2x1);
        FloatVector t3x2 = t2x2.rearrange(LO1, t2x3), t3x3 = t2x2.rearrange(HI1, t2x3);
        FloatVector t3x4 = t2x4.rearrange(LO1, t2x5), t3x5 = t2x4.rearrange(HI1, t2x5);
        FloatVector t3x6 = t2x6.rearrange(LO1, t2x7), t3x7 = t2x6.rearrange(HI1, t2x7);
        FloatVector t3x8 = t2x8.rearrange(LO1, t2x9), t3x9 = t2x8.rearrange(HI1, t2x9);
        FloatVector t3x10 = t2x10.rearrange(LO1, t2x11), t3x11 = t2x10.rearrange(HI1, t2x11);
        FloatVector t3x12 = t2x12.rearrange(LO1, t2x13), t3x13 = t2x12.rearrange(HI1, t2x13);
        FloatVector t3x14 = t2x14.rearrange(LO1, t2x15), t3x15 = t2x14.rearrange(HI1, t2x15);
        t3x0.intoArray(t, d);
        t3x1.intoArray(t, d + 1 * ds);
        t3x2.intoArray(t, d + 2 * ds);
        t3x3.intoArray(t, d + 3 * ds);
        t3x4.intoArray(t, d + 4 * ds);
        t3x5.intoArray(t, d + 5 * ds);
        t3x6.intoArray(t, d + 6 * ds);
        t3x7.intoArray(t, d + 7 * ds);
        t3x8.intoArray(t, d + 8 * ds);
        t3x9.intoArray(t, d + 9 * ds);
        t3x10.intoArray(t, d + 10 * ds);
        t3x11.intoArray(t, d + 11 * ds);
        t3x12.intoArray(t, d + 12 * ds);
        t3x13.intoArray(t, d + 13 * ds);
        t3x14.intoArray(t, d + 14 * ds);
        t3x15.intoArray(t, d + 15 * ds);
    }

    /**
     * {@code du[xi][o][c] += sum_t dM[xi][o][t] Vt[xi][t][c]} over a block: 4 outputs x 4 vectors of input channels, or
     * 8 x 2 where the input channels are 32.
     */
    private static void multiply(int cin, int cout, float[] m, int mOff, float[] vt, int vtOff, float[] du) {
        int mPlane = Conv3x3Winograd.plane(cout);
        for (int xi = 0; xi < POSITIONS; xi++) {
            int mx = mOff + xi * mPlane, vx = vtOff + xi * BLOCK_TILES * cin, ux = xi * cout * cin;
            if (cin % (4 * L) == 0) {
                for (int o = 0; o < cout; o += 4) {
                    for (int c = 0; c < cin; c += 4 * L) multiply4x4(cin, m, mx + o * BLOCK_TILES, vt, vx + c, du, ux + o * cin + c);
                }
            } else {
                int o = 0;
                for (; o + 8 <= cout; o += 8) {
                    for (int c = 0; c < cin; c += 2 * L) multiply8x2(cin, m, mx + o * BLOCK_TILES, vt, vx + c, du, ux + o * cin + c);
                }
                for (; o < cout; o += 4) {
                    for (int c = 0; c < cin; c += 2 * L) multiply4x2(cin, m, mx + o * BLOCK_TILES, vt, vx + c, du, ux + o * cin + c);
                }
            }
        }
    }

    private static void multiply4x4(int cin, float[] m, int mi, float[] vt, int vi, float[] du, int ui) {
        int r1 = ui + cin, r2 = r1 + cin, r3 = r2 + cin;
        FloatVector a00 = FloatVector.fromArray(S, du, ui), a01 = FloatVector.fromArray(S, du, ui + L);
        FloatVector a02 = FloatVector.fromArray(S, du, ui + 2 * L), a03 = FloatVector.fromArray(S, du, ui + 3 * L);
        FloatVector a10 = FloatVector.fromArray(S, du, r1), a11 = FloatVector.fromArray(S, du, r1 + L);
        FloatVector a12 = FloatVector.fromArray(S, du, r1 + 2 * L), a13 = FloatVector.fromArray(S, du, r1 + 3 * L);
        FloatVector a20 = FloatVector.fromArray(S, du, r2), a21 = FloatVector.fromArray(S, du, r2 + L);
        FloatVector a22 = FloatVector.fromArray(S, du, r2 + 2 * L), a23 = FloatVector.fromArray(S, du, r2 + 3 * L);
        FloatVector a30 = FloatVector.fromArray(S, du, r3), a31 = FloatVector.fromArray(S, du, r3 + L);
        FloatVector a32 = FloatVector.fromArray(S, du, r3 + 2 * L), a33 = FloatVector.fromArray(S, du, r3 + 3 * L);
        for (int t = 0; t < BLOCK_TILES; t++, vi += cin) {
            FloatVector x0 = FloatVector.fromArray(S, vt, vi), x1 = FloatVector.fromArray(S, vt, vi + L);
            FloatVector x2 = FloatVector.fromArray(S, vt, vi + 2 * L), x3 = FloatVector.fromArray(S, vt, vi + 3 * L);
            FloatVector w = FloatVector.broadcast(S, m[mi + t]);
            a00 = x0.fma(w, a00); a01 = x1.fma(w, a01); a02 = x2.fma(w, a02); a03 = x3.fma(w, a03);
            w = FloatVector.broadcast(S, m[mi + BLOCK_TILES + t]);
            a10 = x0.fma(w, a10); a11 = x1.fma(w, a11); a12 = x2.fma(w, a12); a13 = x3.fma(w, a13);
            w = FloatVector.broadcast(S, m[mi + 2 * BLOCK_TILES + t]);
            a20 = x0.fma(w, a20); a21 = x1.fma(w, a21); a22 = x2.fma(w, a22); a23 = x3.fma(w, a23);
            w = FloatVector.broadcast(S, m[mi + 3 * BLOCK_TILES + t]);
            a30 = x0.fma(w, a30); a31 = x1.fma(w, a31); a32 = x2.fma(w, a32); a33 = x3.fma(w, a33);
        }
        a00.intoArray(du, ui); a01.intoArray(du, ui + L); a02.intoArray(du, ui + 2 * L); a03.intoArray(du, ui + 3 * L);
        a10.intoArray(du, r1); a11.intoArray(du, r1 + L); a12.intoArray(du, r1 + 2 * L); a13.intoArray(du, r1 + 3 * L);
        a20.intoArray(du, r2); a21.intoArray(du, r2 + L); a22.intoArray(du, r2 + 2 * L); a23.intoArray(du, r2 + 3 * L);
        a30.intoArray(du, r3); a31.intoArray(du, r3 + L); a32.intoArray(du, r3 + 2 * L); a33.intoArray(du, r3 + 3 * L);
    }

    private static void multiply8x2(int cin, float[] m, int mi, float[] vt, int vi, float[] du, int ui) {
        FloatVector a00 = FloatVector.fromArray(S, du, ui), a01 = FloatVector.fromArray(S, du, ui + L);
        FloatVector a10 = FloatVector.fromArray(S, du, ui + cin), a11 = FloatVector.fromArray(S, du, ui + cin + L);
        FloatVector a20 = FloatVector.fromArray(S, du, ui + 2 * cin), a21 = FloatVector.fromArray(S, du, ui + 2 * cin + L);
        FloatVector a30 = FloatVector.fromArray(S, du, ui + 3 * cin), a31 = FloatVector.fromArray(S, du, ui + 3 * cin + L);
        FloatVector a40 = FloatVector.fromArray(S, du, ui + 4 * cin), a41 = FloatVector.fromArray(S, du, ui + 4 * cin + L);
        FloatVector a50 = FloatVector.fromArray(S, du, ui + 5 * cin), a51 = FloatVector.fromArray(S, du, ui + 5 * cin + L);
        FloatVector a60 = FloatVector.fromArray(S, du, ui + 6 * cin), a61 = FloatVector.fromArray(S, du, ui + 6 * cin + L);
        FloatVector a70 = FloatVector.fromArray(S, du, ui + 7 * cin), a71 = FloatVector.fromArray(S, du, ui + 7 * cin + L);
        for (int t = 0; t < BLOCK_TILES; t++, vi += cin) {
            FloatVector x0 = FloatVector.fromArray(S, vt, vi), x1 = FloatVector.fromArray(S, vt, vi + L);
            FloatVector w = FloatVector.broadcast(S, m[mi + t]);
            a00 = x0.fma(w, a00); a01 = x1.fma(w, a01);
            w = FloatVector.broadcast(S, m[mi + BLOCK_TILES + t]);
            a10 = x0.fma(w, a10); a11 = x1.fma(w, a11);
            w = FloatVector.broadcast(S, m[mi + 2 * BLOCK_TILES + t]);
            a20 = x0.fma(w, a20); a21 = x1.fma(w, a21);
            w = FloatVector.broadcast(S, m[mi + 3 * BLOCK_TILES + t]);
            a30 = x0.fma(w, a30); a31 = x1.fma(w, a31);
            w = FloatVector.broadcast(S, m[mi + 4 * BLOCK_TILES + t]);
            a40 = x0.fma(w, a40); a41 = x1.fma(w, a41);
            w = FloatVector.broadcast(S, m[mi + 5 * BLOCK_TILES + t]);
            a50 = x0.fma(w, a50); a51 = x1.fma(w, a51);
            w = FloatVector.broadcast(S, m[mi + 6 * BLOCK_TILES + t]);
            a60 = x0.fma(w, a60); a61 = x1.fma(w, a61);
            w = FloatVector.broadcast(S, m[mi + 7 * BLOCK_TILES + t]);
            a70 = x0.fma(w, a70); a71 = x1.fma(w, a71);
        }
        a00.intoArray(du, ui); a01.intoArray(du, ui + L);
        a10.intoArray(du, ui + cin); a11.intoArray(du, ui + cin + L);
        a20.intoArray(du, ui + 2 * cin); a21.intoArray(du, ui + 2 * cin + L);
        a30.intoArray(du, ui + 3 * cin); a31.intoArray(du, ui + 3 * cin + L);
        a40.intoArray(du, ui + 4 * cin); a41.intoArray(du, ui + 4 * cin + L);
        a50.intoArray(du, ui + 5 * cin); a51.intoArray(du, ui + 5 * cin + L);
        a60.intoArray(du, ui + 6 * cin); a61.intoArray(du, ui + 6 * cin + L);
        a70.intoArray(du, ui + 7 * cin); a71.intoArray(du, ui + 7 * cin + L);
    }

    private static void multiply4x2(int cin, float[] m, int mi, float[] vt, int vi, float[] du, int ui) {
        FloatVector a00 = FloatVector.fromArray(S, du, ui), a01 = FloatVector.fromArray(S, du, ui + L);
        FloatVector a10 = FloatVector.fromArray(S, du, ui + cin), a11 = FloatVector.fromArray(S, du, ui + cin + L);
        FloatVector a20 = FloatVector.fromArray(S, du, ui + 2 * cin), a21 = FloatVector.fromArray(S, du, ui + 2 * cin + L);
        FloatVector a30 = FloatVector.fromArray(S, du, ui + 3 * cin), a31 = FloatVector.fromArray(S, du, ui + 3 * cin + L);
        for (int t = 0; t < BLOCK_TILES; t++, vi += cin) {
            FloatVector x0 = FloatVector.fromArray(S, vt, vi), x1 = FloatVector.fromArray(S, vt, vi + L);
            FloatVector w = FloatVector.broadcast(S, m[mi + t]);
            a00 = x0.fma(w, a00); a01 = x1.fma(w, a01);
            w = FloatVector.broadcast(S, m[mi + BLOCK_TILES + t]);
            a10 = x0.fma(w, a10); a11 = x1.fma(w, a11);
            w = FloatVector.broadcast(S, m[mi + 2 * BLOCK_TILES + t]);
            a20 = x0.fma(w, a20); a21 = x1.fma(w, a21);
            w = FloatVector.broadcast(S, m[mi + 3 * BLOCK_TILES + t]);
            a30 = x0.fma(w, a30); a31 = x1.fma(w, a31);
        }
        a00.intoArray(du, ui); a01.intoArray(du, ui + L);
        a10.intoArray(du, ui + cin); a11.intoArray(du, ui + cin + L);
        a20.intoArray(du, ui + 2 * cin); a21.intoArray(du, ui + 2 * cin + L);
        a30.intoArray(du, ui + 3 * cin); a31.intoArray(du, ui + 3 * cin + L);
    }
}
