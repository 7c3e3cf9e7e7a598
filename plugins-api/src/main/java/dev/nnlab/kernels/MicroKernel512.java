package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM micro-kernel for 512-bit vectors: a (12, 32) tile of C, i.e. 12 rows x 2 vectors of 16 lanes.
 *
 * <p>24 accumulators + 2 B vectors + 1 broadcast use 27 of AVX-512's 32 registers; per step of k it
 * issues 24 FMAs for 2 vector loads and 12 broadcasts (loads), so the two FMA ports, not the load
 * ports, are the limit. Measured on one core at 1024^3 (packing included), against 4x3, 6x2, 8x2,
 * 8x3, 14x2 and 6x4 vectors: 12x2 was fastest, about 130 GFLOPS; 14x2 spills.
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
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
        FloatVector c100 = FloatVector.zero(S), c101 = FloatVector.zero(S);
        FloatVector c110 = FloatVector.zero(S), c111 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR, bi = bOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bPack, bi);
            FloatVector b1 = FloatVector.fromArray(S, bPack, bi + L);
            FloatVector a;
            a = FloatVector.broadcast(S, aPack[ai]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, aPack[ai + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, aPack[ai + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, aPack[ai + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, aPack[ai + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, aPack[ai + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, aPack[ai + 6]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, aPack[ai + 7]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(S, aPack[ai + 8]);
            c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(S, aPack[ai + 9]);
            c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(S, aPack[ai + 10]);
            c100 = a.fma(b0, c100); c101 = a.fma(b1, c101);
            a = FloatVector.broadcast(S, aPack[ai + 11]);
            c110 = a.fma(b0, c110); c111 = a.fma(b1, c111);
        }
        FloatVector vAlpha = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            { int ci = cOff; c00.mul(vAlpha).intoArray(c, ci); c01.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + ldc; c10.mul(vAlpha).intoArray(c, ci); c11.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 2 * ldc; c20.mul(vAlpha).intoArray(c, ci); c21.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 3 * ldc; c30.mul(vAlpha).intoArray(c, ci); c31.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 4 * ldc; c40.mul(vAlpha).intoArray(c, ci); c41.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 5 * ldc; c50.mul(vAlpha).intoArray(c, ci); c51.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 6 * ldc; c60.mul(vAlpha).intoArray(c, ci); c61.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 7 * ldc; c70.mul(vAlpha).intoArray(c, ci); c71.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 8 * ldc; c80.mul(vAlpha).intoArray(c, ci); c81.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 9 * ldc; c90.mul(vAlpha).intoArray(c, ci); c91.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 10 * ldc; c100.mul(vAlpha).intoArray(c, ci); c101.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 11 * ldc; c110.mul(vAlpha).intoArray(c, ci); c111.mul(vAlpha).intoArray(c, ci + L); }
        } else {
            FloatVector vBeta = FloatVector.broadcast(S, beta);
            { int ci = cOff; update(c00, vAlpha, vBeta, c, ci); update(c01, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + ldc; update(c10, vAlpha, vBeta, c, ci); update(c11, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 2 * ldc; update(c20, vAlpha, vBeta, c, ci); update(c21, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 3 * ldc; update(c30, vAlpha, vBeta, c, ci); update(c31, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 4 * ldc; update(c40, vAlpha, vBeta, c, ci); update(c41, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 5 * ldc; update(c50, vAlpha, vBeta, c, ci); update(c51, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 6 * ldc; update(c60, vAlpha, vBeta, c, ci); update(c61, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 7 * ldc; update(c70, vAlpha, vBeta, c, ci); update(c71, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 8 * ldc; update(c80, vAlpha, vBeta, c, ci); update(c81, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 9 * ldc; update(c90, vAlpha, vBeta, c, ci); update(c91, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 10 * ldc; update(c100, vAlpha, vBeta, c, ci); update(c101, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 11 * ldc; update(c110, vAlpha, vBeta, c, ci); update(c111, vAlpha, vBeta, c, ci + L); }
        }
    }

    private static void update(FloatVector acc, FloatVector vAlpha, FloatVector vBeta, float[] c, int ci) {
        FloatVector.fromArray(S, c, ci).fma(vBeta, acc.mul(vAlpha)).intoArray(c, ci);
    }
}
