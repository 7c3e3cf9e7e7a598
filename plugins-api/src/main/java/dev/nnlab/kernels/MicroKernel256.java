package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SGEMM micro-kernel for 256-bit vectors: a (6, 16) tile of C, i.e. 6 rows x 2 vectors of 8 lanes.
 *
 * <p>The Haswell shape of BLIS/OpenBLAS: 12 accumulators + 2 B vectors + 1 broadcast fit AVX2's 16
 * registers without spilling; wider tiles only pay off with AVX-512's 32 registers, where the
 * 512-bit kernel is used anyway.
 */
final class MicroKernel256 extends MicroKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int MR = 6;
    private static final int L = 8;
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
        }
        FloatVector vAlpha = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            { int ci = cOff; c00.mul(vAlpha).intoArray(c, ci); c01.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + ldc; c10.mul(vAlpha).intoArray(c, ci); c11.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 2 * ldc; c20.mul(vAlpha).intoArray(c, ci); c21.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 3 * ldc; c30.mul(vAlpha).intoArray(c, ci); c31.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 4 * ldc; c40.mul(vAlpha).intoArray(c, ci); c41.mul(vAlpha).intoArray(c, ci + L); }
            { int ci = cOff + 5 * ldc; c50.mul(vAlpha).intoArray(c, ci); c51.mul(vAlpha).intoArray(c, ci + L); }
        } else {
            FloatVector vBeta = FloatVector.broadcast(S, beta);
            { int ci = cOff; update(c00, vAlpha, vBeta, c, ci); update(c01, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + ldc; update(c10, vAlpha, vBeta, c, ci); update(c11, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 2 * ldc; update(c20, vAlpha, vBeta, c, ci); update(c21, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 3 * ldc; update(c30, vAlpha, vBeta, c, ci); update(c31, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 4 * ldc; update(c40, vAlpha, vBeta, c, ci); update(c41, vAlpha, vBeta, c, ci + L); }
            { int ci = cOff + 5 * ldc; update(c50, vAlpha, vBeta, c, ci); update(c51, vAlpha, vBeta, c, ci + L); }
        }
    }

    private static void update(FloatVector acc, FloatVector vAlpha, FloatVector vBeta, float[] c, int ci) {
        FloatVector.fromArray(S, c, ci).fma(vBeta, acc.mul(vAlpha)).intoArray(c, ci);
    }
}
