package dev.nnlab.kernels;

import jdk.incubator.vector.VectorSpecies;

/**
 * A register-blocked GEMM micro-kernel (BLIS terminology): it multiplies one packed panel of
 * {@code op(A)}, shape (mr, kc), by one packed panel of {@code op(B)}, shape (kc, nr), keeping the
 * whole (mr, nr) tile of C in vector registers for the length of the product, and only then
 * touches C once: {@code C tile = alpha * Apanel * Bpanel + beta * C tile} ({@code beta == 0}
 * never reads C).
 *
 * <p>Panel layouts (written by {@link GemmPacking}): {@code aPack[aOff + p * mr + r]} and
 * {@code bPack[bOff + p * nr + j]}, so both are read strictly sequentially, with constant strides
 * that let C2 eliminate the bounds checks of the inner loop.
 *
 * <p>One subclass per vector width, each with its own {@code static final} species: the Vector API
 * is only compiled to SIMD code when the species is a compile-time constant, so a single class
 * taking the species as a field would run ~100x slower. Tests instantiate every width side by side.
 *
 * <p>{@link BlockedGemm} calls the kernels with beta = 0 only, and adds a tile to C itself when beta
 * != 0. The kernels' beta != 0 path passes vectors to a helper that C2 does not inline, so it boxes
 * (allocates) every accumulator: 1.4 KB per tile, 66 KB per 64x256x784 product with beta = 1.
 * Writing that update inline instead, or dropping the never-taken branch altogether, made C2 compile
 * the k loop itself to code at ~40% of the FMA peak against 65-97% (1024^3 on Zen 3, AVX2, measured
 * repeatedly side by side); so did starting the accumulators from C or unrolling the k loop by two.
 * The shape of these methods is therefore kept exactly as measured.
 *
 * <p>The k loop is deliberately not unrolled by hand. Unrolling by two measured a few percent faster
 * in C2, but C1 (which runs a method before C2 does, inlining the Vector API's Java fallbacks) then
 * fails with "out of virtual registers", and the tiered policy left the method in slow C1 code
 * for good (~1 GFLOPS) whenever it became hot through many small calls rather than one long loop.
 */
abstract sealed class MicroKernel permits MicroKernel512, MicroKernel256, MicroKernel128 {

    /** Rows of the C tile (broadcast side). */
    abstract int mr();

    /** Columns of the C tile (vector side): a whole number of vectors. */
    abstract int nr();

    abstract VectorSpecies<Float> species();

    /**
     * {@code C[cOff + r * ldc + j] = alpha * sum_p aPack[aOff + p * mr + r] * bPack[bOff + p * nr + j]
     * + beta * C[...]} for r in [0, mr), j in [0, nr). Requires {@code kc >= 1}.
     */
    abstract void multiply(int kc, float[] aPack, int aOff, float[] bPack, int bOff,
                           float alpha, float beta, float[] c, int cOff, int ldc);

    /**
     * {@link #multiply} with op(A) read in place instead of from a packed panel: element (r, p) of
     * the (mr, kc) block is {@code aRows[aOff + r * lda + p]}, i.e. mr rows of a row-major A (A as
     * stored when not transposed). Saves packing, which costs more than it returns when the
     * product is small (each packed A panel would be used by few B panels).
     */
    abstract void multiplyRows(int kc, float[] aRows, int aOff, int lda, float[] bPack, int bOff,
                               float alpha, float beta, float[] c, int cOff, int ldc);

    /** The micro-kernel for {@code species}, one of 128, 256 or 512 bits. */
    static MicroKernel forSpecies(VectorSpecies<Float> species) {
        return switch (species.vectorBitSize()) {
            case 512 -> new MicroKernel512();
            case 256 -> new MicroKernel256();
            case 128 -> new MicroKernel128();
            default -> throw new IllegalArgumentException("no SGEMM micro-kernel for " + species);
        };
    }
}
