package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species every kernel uses, chosen once when the class initialises and held in a
 * {@code static final} field so that C2 constant-folds it: the Vector API only compiles to SIMD
 * instructions when the species is a compile-time constant.
 *
 * <p>The choice is the JVM's preferred species (the widest the CPU and {@code MaxVectorSize}
 * allow). On the AVX-512 Xeon nnlab is developed on, 512 bits beat 256 bits for SGEMM (about 130
 * against 97 GFLOPS on one core with the packed micro-kernels), so nothing narrower is picked by
 * default. {@code -Dnnlab.vector.bits=256} (or 128) forces a narrower width, for CPUs that
 * down-clock under 512-bit code. Like Lucene's Panama provider, widths under 128 bits are refused:
 * the kernels then run their scalar references.
 *
 * <p>{@link #bits()} tells callers (benchmarks, run metadata) which width that is.
 *
 * <p>Stability: evolving.
 */
public final class VectorWidth {
    private VectorWidth() {}

    /**
     * The SIMD width in bits that nnlab's kernels ({@link Sgemm}, {@link VectorOps}, ...) run at in
     * this JVM: 128, 256 or 512, or 0 when the platform offers less than 128 bits and the kernels
     * run their scalar references. Fixed for the life of the JVM.
     */
    public static int bits() {
        return VECTORIZED ? FLOATS.vectorBitSize() : 0;
    }

    static final VectorSpecies<Float> FLOATS = choose();

    /** False when the platform offers less than 128 bits: callers use the scalar references. */
    static final boolean VECTORIZED = FLOATS.vectorBitSize() >= 128;

    static {
        System.Logger log = System.getLogger("dev.nnlab.kernels");
        if (VECTORIZED) {
            log.log(System.Logger.Level.INFO, "nnlab kernels: FloatVector {0} bits, {1} lanes",
                    FLOATS.vectorBitSize(), FLOATS.length());
        } else {
            log.log(System.Logger.Level.WARNING, "nnlab kernels: FloatVector only {0} bits wide, using scalar kernels",
                    FLOATS.vectorBitSize());
        }
    }

    private static VectorSpecies<Float> choose() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        String forced = System.getProperty("nnlab.vector.bits");
        if (forced == null || forced.isBlank()) return preferred;
        int bits;
        try {
            bits = Integer.parseInt(forced.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("nnlab.vector.bits must be 128, 256 or 512, got '" + forced + "'", e);
        }
        if (bits != 128 && bits != 256 && bits != 512) {
            throw new IllegalArgumentException("nnlab.vector.bits must be 128, 256 or 512, got " + bits);
        }
        // Never wider than the hardware: a species C2 cannot map to registers runs in Java, ~100x slower.
        if (bits > preferred.vectorBitSize()) return preferred;
        return VectorSpecies.of(float.class, VectorShape.forBitSize(bits));
    }
}
