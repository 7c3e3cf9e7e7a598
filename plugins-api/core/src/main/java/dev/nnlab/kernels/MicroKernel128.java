package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM micro-kernel for 128-bit vectors (SSE, NEON): a (6, 8) tile of C, i.e. 6 rows x 2 vectors
 * of 4 lanes: 15 registers, which fits SSE's 16 without spilling.
 */
final class MicroKernel128 extends MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
    private static final int MR = 6;
    private static final int L = 4;
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
        }
        FloatVector vAlpha = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            { int ci = cOff; c0_0.mul(vAlpha).intoArray(c, ci); c0_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + ldc; c1_0.mul(vAlpha).intoArray(c, ci); c1_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 2 * ldc; c2_0.mul(vAlpha).intoArray(c, ci); c2_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 3 * ldc; c3_0.mul(vAlpha).intoArray(c, ci); c3_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 4 * ldc; c4_0.mul(vAlpha).intoArray(c, ci); c4_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 5 * ldc; c5_0.mul(vAlpha).intoArray(c, ci); c5_1.mul(vAlpha).intoArray(c, ci + L); }
        } else {
            FloatVector vBeta = FloatVector.broadcast(S, beta);
            { int ci = cOff; update(c0_0, vAlpha, vBeta, c, ci); update(c0_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + ldc; update(c1_0, vAlpha, vBeta, c, ci); update(c1_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 2 * ldc; update(c2_0, vAlpha, vBeta, c, ci); update(c2_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 3 * ldc; update(c3_0, vAlpha, vBeta, c, ci); update(c3_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 4 * ldc; update(c4_0, vAlpha, vBeta, c, ci); update(c4_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 5 * ldc; update(c5_0, vAlpha, vBeta, c, ci); update(c5_1, vAlpha, vBeta, c, ci + L); }
        }
    }

    @Override
    void multiplyRows(int kc, float[] aRows, int aOff, int lda, float[] bPack, int bOff,
                      float alpha, float beta, float[] c, int cOff, int ldc) {
        int a0 = aOff, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        FloatVector c0_0 = FloatVector.zero(S), c0_1 = FloatVector.zero(S);
        FloatVector c1_0 = FloatVector.zero(S), c1_1 = FloatVector.zero(S);
        FloatVector c2_0 = FloatVector.zero(S), c2_1 = FloatVector.zero(S);
        FloatVector c3_0 = FloatVector.zero(S), c3_1 = FloatVector.zero(S);
        FloatVector c4_0 = FloatVector.zero(S), c4_1 = FloatVector.zero(S);
        FloatVector c5_0 = FloatVector.zero(S), c5_1 = FloatVector.zero(S);
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
        }
        FloatVector vAlpha = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            { int ci = cOff; c0_0.mul(vAlpha).intoArray(c, ci); c0_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + ldc; c1_0.mul(vAlpha).intoArray(c, ci); c1_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 2 * ldc; c2_0.mul(vAlpha).intoArray(c, ci); c2_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 3 * ldc; c3_0.mul(vAlpha).intoArray(c, ci); c3_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 4 * ldc; c4_0.mul(vAlpha).intoArray(c, ci); c4_1.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 5 * ldc; c5_0.mul(vAlpha).intoArray(c, ci); c5_1.mul(vAlpha).intoArray(c, ci + L); }
        } else {
            FloatVector vBeta = FloatVector.broadcast(S, beta);
            { int ci = cOff; update(c0_0, vAlpha, vBeta, c, ci); update(c0_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + ldc; update(c1_0, vAlpha, vBeta, c, ci); update(c1_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 2 * ldc; update(c2_0, vAlpha, vBeta, c, ci); update(c2_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 3 * ldc; update(c3_0, vAlpha, vBeta, c, ci); update(c3_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 4 * ldc; update(c4_0, vAlpha, vBeta, c, ci); update(c4_1, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 5 * ldc; update(c5_0, vAlpha, vBeta, c, ci); update(c5_1, vAlpha, vBeta, c, ci + L); }
        }
    }

    private static void update(FloatVector acc, FloatVector vAlpha, FloatVector vBeta, float[] c, int ci) {
        FloatVector.fromArray(S, c, ci).fma(vBeta, acc.mul(vAlpha)).intoArray(c, ci);
    }
}
