package dev.nnlab.bench;

import jdk.incubator.vector.VectorSpecies;

/**
 * The vector width nnlab's kernels use, for every benchmark line. The kernels choose it once in
 * {@code dev.nnlab.kernels.VectorWidth} (the preferred species, or {@code -Dnnlab.vector.bits}),
 * which is package-private to the core; the benchmark reads that very field rather than repeating
 * the choice, so the line shows what the kernels use even if the rule changes.
 */
final class VectorBits {
    private VectorBits() {}

    static int used() {
        try {
            var field = Class.forName("dev.nnlab.kernels.VectorWidth").getDeclaredField("FLOATS");
            field.setAccessible(true);
            return ((VectorSpecies<?>) field.get(null)).vectorBitSize();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }
}
