package dev.nnlab.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Conv3x3#pad} and {@link Conv3x3#crop} in vectors: each image row is whole vectors plus one masked
 * vector for its tail, so a 14-float row of W3's second layer is one masked load and one masked store instead
 * of a {@code System.arraycopy} call (whose per-call cost was most of the 9% of W3 these two copies took).
 * Masked stores write nothing outside the row, so the zeros around a padded plane, and the planes of other
 * samples next to it, are left as they are; masked loads read nothing past the row either. The bits are the
 * copied floats, as before. Needs SIMD ({@link VectorWidth#VECTORIZED}); Conv3x3 keeps its loops otherwise.
 */
final class PlaneCopy {
    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();

    private PlaneCopy() {}

    /** Rows of {@code width} floats: {@code rows} of them, {@code srcRow} and {@code dstRow} floats apart. */
    static void copyRows(int rows, int width, float[] src, int s, int srcRow, float[] dst, int d, int dstRow) {
        int whole = width / L * L;
        VectorMask<Float> tail = S.indexInRange(whole, width);
        boolean hasTail = whole < width;
        for (int r = 0; r < rows; r++, s += srcRow, d += dstRow) {
            for (int k = 0; k < whole; k += L) FloatVector.fromArray(S, src, s + k).intoArray(dst, d + k);
            if (hasTail) FloatVector.fromArray(S, src, s + whole, tail).intoArray(dst, d + whole, tail);
        }
    }

    static void pad(int channels, int height, int width, float[] src, int srcOff, float[] dst, int dstOff, int channelStride) {
        int wp = Conv3x3.paddedWidth(width);
        for (int c = 0; c < channels; c++) {
            copyRows(height, width, src, srcOff + c * height * width, width, dst, dstOff + c * channelStride + wp + 1, wp);
        }
    }

    static void crop(int channels, int height, int width, float[] flat, int flatOff, float[] dst, int dstOff) {
        int wp = Conv3x3.paddedWidth(width), lq = Conv3x3.flatLength(height, width);
        for (int c = 0; c < channels; c++) {
            copyRows(height, width, flat, flatOff + c * lq, wp, dst, dstOff + c * height * width, width);
        }
    }
}
