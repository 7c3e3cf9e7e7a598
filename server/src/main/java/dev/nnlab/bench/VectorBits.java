package dev.nnlab.bench;

import dev.nnlab.kernels.VectorWidth;

/** The vector width nnlab's kernels use, for every benchmark line: {@link VectorWidth#bits()}. */
final class VectorBits {
    private VectorBits() {}

    static int used() {
        return VectorWidth.bits();
    }
}
