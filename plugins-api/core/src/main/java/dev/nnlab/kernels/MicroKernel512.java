package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM micro-kernel for 512-bit vectors: a (12, 32) tile of C, i.e. 12 rows x 2 vectors of 16 lanes.
 *
 * <p>24 accumulators + 2 B vectors + 1 broadcast use 27 of AVX-512's 32 registers; per step of k it
 * issues 24 FMAs for 2 vector loads and 12 broadcasts (which C2 folds into {@code vbroadcastss zmm, m32},
 * a load-port uop), so the two FMA ports, not the load ports, are the limit. Measured on one core at
 * 1024^3 (packing included) against 4x3, 6x2, 8x2, 8x3, 14x2 and 6x4 vectors: 12x2 was fastest;
 * 14x2 spills.
 */
final class MicroKernel512 extends MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final int MR = 12;
    private static final int L = 16;
    private static final int NR = 2 * L;

    @Override int mr() { return MR; }

    @Override int nr() { return NR; }

    @Override VectorSpecies<Float> species() { return S; }

    @Override
    void multiply(int kc, float[] aPack, int aOff, float[] bPack, int bOff,
                  float alpha, float beta, float[] c, int cOff, int ldc) {
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S), c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S), c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        FloatVector a, b0, b1;
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR, bi = bOff + p * NR;
            b0 = FloatVector.fromArray(S, bPack, bi);
            b1 = FloatVector.fromArray(S, bPack, bi + L);
            a = FloatVector.broadcast(S, aPack[ai]);
            c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, aPack[ai + 1]);
            c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, aPack[ai + 2]);
            c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, aPack[ai + 3]);
            c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, aPack[ai + 4]);
            c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, aPack[ai + 5]);
            c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(S, aPack[ai + 6]);
            c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(S, aPack[ai + 7]);
            c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1);
            a = FloatVector.broadcast(S, aPack[ai + 8]);
            c8_0 = a.fma(b0, c8_0); c8_1 = a.fma(b1, c8_1);
            a = FloatVector.broadcast(S, aPack[ai + 9]);
            c9_0 = a.fma(b0, c9_0); c9_1 = a.fma(b1, c9_1);
            a = FloatVector.broadcast(S, aPack[ai + 10]);
            c10_0 = a.fma(b0, c10_0); c10_1 = a.fma(b1, c10_1);
            a = FloatVector.broadcast(S, aPack[ai + 11]);
            c11_0 = a.fma(b0, c11_0); c11_1 = a.fma(b1, c11_1);
        }
        FloatVector vAlpha = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            { int ci = cOff; c0_0.mul(vAlpha).intoArray(c, ci); c0_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + ldc; c1_0.mul(vAlpha).intoArray(c, ci); c1_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 2 * ldc; c2_0.mul(vAlpha).intoArray(c, ci); c2_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 3 * ldc; c3_0.mul(vAlpha).intoArray(c, ci); c3_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 4 * ldc; c4_0.mul(vAlpha).intoArray(c, ci); c4_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 5 * ldc; c5_0.mul(vAlpha).intoArray(c, ci); c5_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 6 * ldc; c6_0.mul(vAlpha).intoArray(c, ci); c6_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 7 * ldc; c7_0.mul(vAlpha).intoArray(c, ci); c7_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 8 * ldc; c8_0.mul(vAlpha).intoArray(c, ci); c8_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 9 * ldc; c9_0.mul(vAlpha).intoArray(c, ci); c9_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 10 * ldc; c10_0.mul(vAlpha).intoArray(c, ci); c10_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 11 * ldc; c11_0.mul(vAlpha).intoArray(c, ci); c11_1.mul(vAlpha).intoArray(c, ci + L); }
        } else {
            FloatVector vBeta = FloatVector.broadcast(S, beta);
            { int ci = cOff; update(c0_0, vAlpha, vBeta, c, ci); update(c0_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + ldc; update(c1_0, vAlpha, vBeta, c, ci); update(c1_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 2 * ldc; update(c2_0, vAlpha, vBeta, c, ci); update(c2_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 3 * ldc; update(c3_0, vAlpha, vBeta, c, ci); update(c3_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 4 * ldc; update(c4_0, vAlpha, vBeta, c, ci); update(c4_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 5 * ldc; update(c5_0, vAlpha, vBeta, c, ci); update(c5_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 6 * ldc; update(c6_0, vAlpha, vBeta, c, ci); update(c6_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 7 * ldc; update(c7_0, vAlpha, vBeta, c, ci); update(c7_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 8 * ldc; update(c8_0, vAlpha, vBeta, c, ci); update(c8_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 9 * ldc; update(c9_0, vAlpha, vBeta, c, ci); update(c9_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 10 * ldc; update(c10_0, vAlpha, vBeta, c, ci); update(c10_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 11 * ldc; update(c11_0, vAlpha, vBeta, c, ci); update(c11_1, vAlpha, vBeta, c, ci + L); }
        }
    }

    @Override
    void multiplyRows(int kc, float[] aRows, int aOff, int lda, float[] bPack, int bOff,
                      float alpha, float beta, float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda, a6 = a5 + lda, a7 = a6 + lda, a8 = a7 + lda, a9 = a8 + lda, a10 = a9 + lda, a11 = a10 + lda;
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
        FloatVector c6_0 = FloatVector.zero(S), c6_1 = FloatVector.zero(S);
        FloatVector c7_0 = FloatVector.zero(S), c7_1 = FloatVector.zero(S);
        FloatVector c8_0 = FloatVector.zero(S), c8_1 = FloatVector.zero(S);
        FloatVector c9_0 = FloatVector.zero(S), c9_1 = FloatVector.zero(S);
        FloatVector c10_0 = FloatVector.zero(S), c10_1 = FloatVector.zero(S);
        FloatVector c11_0 = FloatVector.zero(S), c11_1 = FloatVector.zero(S);
        FloatVector a, b0, b1;
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR;
            b0 = FloatVector.fromArray(S, bPack, bi);
            b1 = FloatVector.fromArray(S, bPack, bi + L);
            a = FloatVector.broadcast(S, aRows[a0 + p]);
            c0_0 = a.fma(b0, c0_0); c0_1 = a.fma(b1, c0_1);
            a = FloatVector.broadcast(S, aRows[a1 + p]);
            c1_0 = a.fma(b0, c1_0); c1_1 = a.fma(b1, c1_1);
            a = FloatVector.broadcast(S, aRows[a2 + p]);
            c2_0 = a.fma(b0, c2_0); c2_1 = a.fma(b1, c2_1);
            a = FloatVector.broadcast(S, aRows[a3 + p]);
            c3_0 = a.fma(b0, c3_0); c3_1 = a.fma(b1, c3_1);
            a = FloatVector.broadcast(S, aRows[a4 + p]);
            c4_0 = a.fma(b0, c4_0); c4_1 = a.fma(b1, c4_1);
            a = FloatVector.broadcast(S, aRows[a5 + p]);
            c5_0 = a.fma(b0, c5_0); c5_1 = a.fma(b1, c5_1);
            a = FloatVector.broadcast(S, aRows[a6 + p]);
            c6_0 = a.fma(b0, c6_0); c6_1 = a.fma(b1, c6_1);
            a = FloatVector.broadcast(S, aRows[a7 + p]);
            c7_0 = a.fma(b0, c7_0); c7_1 = a.fma(b1, c7_1);
            a = FloatVector.broadcast(S, aRows[a8 + p]);
            c8_0 = a.fma(b0, c8_0); c8_1 = a.fma(b1, c8_1);
            a = FloatVector.broadcast(S, aRows[a9 + p]);
            c9_0 = a.fma(b0, c9_0); c9_1 = a.fma(b1, c9_1);
            a = FloatVector.broadcast(S, aRows[a10 + p]);
            c10_0 = a.fma(b0, c10_0); c10_1 = a.fma(b1, c10_1);
            a = FloatVector.broadcast(S, aRows[a11 + p]);
            c11_0 = a.fma(b0, c11_0); c11_1 = a.fma(b1, c11_1);
        }
        FloatVector vAlpha = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            { int ci = cOff; c0_0.mul(vAlpha).intoArray(c, ci); c0_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + ldc; c1_0.mul(vAlpha).intoArray(c, ci); c1_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 2 * ldc; c2_0.mul(vAlpha).intoArray(c, ci); c2_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 3 * ldc; c3_0.mul(vAlpha).intoArray(c, ci); c3_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 4 * ldc; c4_0.mul(vAlpha).intoArray(c, ci); c4_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 5 * ldc; c5_0.mul(vAlpha).intoArray(c, ci); c5_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 6 * ldc; c6_0.mul(vAlpha).intoArray(c, ci); c6_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 7 * ldc; c7_0.mul(vAlpha).intoArray(c, ci); c7_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 8 * ldc; c8_0.mul(vAlpha).intoArray(c, ci); c8_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 9 * ldc; c9_0.mul(vAlpha).intoArray(c, ci); c9_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 10 * ldc; c10_0.mul(vAlpha).intoArray(c, ci); c10_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 11 * ldc; c11_0.mul(vAlpha).intoArray(c, ci); c11_1.mul(vAlpha).intoArray(c, ci + L); }
        } else {
            FloatVector vBeta = FloatVector.broadcast(S, beta);
            { int ci = cOff; update(c0_0, vAlpha, vBeta, c, ci); update(c0_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + ldc; update(c1_0, vAlpha, vBeta, c, ci); update(c1_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 2 * ldc; update(c2_0, vAlpha, vBeta, c, ci); update(c2_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 3 * ldc; update(c3_0, vAlpha, vBeta, c, ci); update(c3_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 4 * ldc; update(c4_0, vAlpha, vBeta, c, ci); update(c4_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 5 * ldc; update(c5_0, vAlpha, vBeta, c, ci); update(c5_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 6 * ldc; update(c6_0, vAlpha, vBeta, c, ci); update(c6_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 7 * ldc; update(c7_0, vAlpha, vBeta, c, ci); update(c7_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 8 * ldc; update(c8_0, vAlpha, vBeta, c, ci); update(c8_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 9 * ldc; update(c9_0, vAlpha, vBeta, c, ci); update(c9_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 10 * ldc; update(c10_0, vAlpha, vBeta, c, ci); update(c10_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 11 * ldc; update(c11_0, vAlpha, vBeta, c, ci); update(c11_1, vAlpha, vBeta, c, ci + L); }
        }
    }

    private static void update(FloatVector acc, FloatVector vAlpha, FloatVector vBeta, float[] c, int ci) {
        FloatVector.fromArray(S, c, ci).fma(vBeta, acc.mul(vAlpha)).intoArray(c, ci);
    }
}
