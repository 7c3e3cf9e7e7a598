package dev.nnlab.kernels;

/** Scalar twins of {@link PixelBytes}: the definitions its vector loops are tested against. */
public final class PixelBytesReference {
    private PixelBytesReference() {}

    public static void decode(int n, byte[] src, int sOff, float[] dst, int dOff) {
        for (int i = 0; i < n; i++) dst[dOff + i] = (src[sOff + i] & 0xff) * PixelBytes.STEP;
    }

    public static boolean encode(int n, float[] src, int sOff, byte[] dst, int dOff) {
        for (int i = 0; i < n; i++) {
            float v = src[sOff + i];
            int k = (int) Math.fma(v, 255f, 0.5f);
            if (k < 0 || k > 255 || Float.floatToRawIntBits(k * PixelBytes.STEP) != Float.floatToRawIntBits(v)) return false;
            dst[dOff + i] = (byte) k;
        }
        return true;
    }
}
