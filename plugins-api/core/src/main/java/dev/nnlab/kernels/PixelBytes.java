package dev.nnlab.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pixels in [0, 1] kept as one unsigned byte each: code {@code k} stands for {@code k * (1f / 255f)},
 * exactly the float nnlab's unit scaling makes of the pixel value {@code k} (a shift of 0, then a product
 * with the float {@code 1/255}). A batch gathered from the codes therefore holds the same bits as one
 * gathered from the floats, from a quarter of the memory: shuffled rows of a data set larger than the
 * caches are read at memory latency, and a quarter of the cache lines is a quarter of the waiting.
 *
 * <p>{@link #encode} refuses a row holding any value that is not such a code (a standardised feature, a
 * negative zero, a NaN), so data of any other kind stays in floats. Every method has a scalar twin in
 * {@link PixelBytesReference}; results are bit-identical.
 *
 * <p>Stability: evolving.
 */
public final class PixelBytes {
    private PixelBytes() {}

    /** The value of code 1. */
    public static final float STEP = 1f / 255f;

    private static final VectorSpecies<Float> S = VectorWidth.FLOATS;
    private static final int L = S.length();
    /** Bytes with as many lanes as the floats: 128 bits at 16 float lanes, 64 at 8; none at 4 (no 32-bit shape). */
    private static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final boolean SCALAR = !VectorWidth.VECTORIZED || B == null;

    /** {@code dst[dOff + i] = code(src[sOff + i]) * STEP} for {@code i < n}. */
    public static void decode(int n, byte[] src, int sOff, float[] dst, int dOff) {
        if (SCALAR) { PixelBytesReference.decode(n, src, sOff, dst, dOff); return; }
        FloatVector step = FloatVector.broadcast(S, STEP);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            IntVector k = (IntVector) ByteVector.fromArray(B, src, sOff + i).convertShape(VectorOperators.ZERO_EXTEND_B2I, I, 0);
            ((FloatVector) k.convert(VectorOperators.I2F, 0)).mul(step).intoArray(dst, dOff + i);
        }
        for (; i < n; i++) dst[dOff + i] = (src[sOff + i] & 0xff) * STEP;
    }

    /**
     * Writes the codes of {@code src[sOff, sOff + n)} to {@code dst[dOff, dOff + n)} and returns true when
     * every value is {@code k * STEP} for an integer {@code 0 <= k <= 255} (bit for bit: {@code -0f} is not 0);
     * returns false otherwise, with {@code dst} partly written.
     */
    public static boolean encode(int n, float[] src, int sOff, byte[] dst, int dOff) {
        if (SCALAR) return PixelBytesReference.encode(n, src, sOff, dst, dOff);
        FloatVector scale = FloatVector.broadcast(S, 255f), half = FloatVector.broadcast(S, 0.5f),
                step = FloatVector.broadcast(S, STEP);
        IntVector top = IntVector.broadcast(I, 255);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, src, sOff + i);
            // Truncation of v * 255 + 0.5 finds the candidate; the exact check below decides.
            IntVector k = (IntVector) v.fma(scale, half).convert(VectorOperators.F2I, 0);
            FloatVector back = ((FloatVector) k.convert(VectorOperators.I2F, 0)).mul(step);
            VectorMask<Integer> wrong = k.compare(VectorOperators.UGT, top)
                    .or(back.reinterpretAsInts().compare(VectorOperators.NE, v.reinterpretAsInts()));
            if (wrong.anyTrue()) return false;
            ((ByteVector) k.convertShape(VectorOperators.I2B, B, 0)).intoArray(dst, dOff + i);
        }
        return PixelBytesReference.encode(n - i, src, sOff + i, dst, dOff + i);
    }
}
