package dev.nnlab.kernels;

/**
 * {@link Conv3x3} in plain loops on the same padded-plane layout, from unpacked weights
 * {@code (cout, cin, 3, 3)}: what the SIMD kernels are tested against.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Conv3x3Reference {
    private Conv3x3Reference() {}

    /**
     * {@link Conv3x3#forward} with {@code W} as stored ({@code flipTranspose} false: cin inputs to cout outputs)
     * or flipped and transposed (true: cout inputs to cin outputs, the input-gradient pass).
     */
    public static void forward(int cin, int cout, int height, int width, float[] w, boolean flipTranspose,
                               float[] bias, float[] x, int xOff, int channelStride, float[] y, int yOff) {
        int wp = Conv3x3.paddedWidth(width), lq = Conv3x3.flatLength(height, width), ps = channelStride;
        int outs = flipTranspose ? cin : cout, ins = flipTranspose ? cout : cin;
        for (int o = 0; o < outs; o++) {
            for (int q = 0; q < lq; q++) {
                float s = bias == null ? 0f : bias[o];
                for (int c = 0; c < ins; c++) {
                    for (int i = 0; i < 3; i++) {
                        for (int j = 0; j < 3; j++) {
                            float wv = flipTranspose ? w[((c * cin + o) * 3 + 2 - i) * 3 + 2 - j] : w[((o * cin + c) * 3 + i) * 3 + j];
                            s += wv * x[xOff + c * ps + q + i * wp + j];
                        }
                    }
                }
                y[yOff + o * lq + q] = s;
            }
        }
    }

    /** {@link Conv3x3#weightGradient}. */
    public static void weightGradient(int cin, int cout, int height, int width, int samples,
                                      float[] dy, int dyOff, int dyStride, float[] x, int xOff, int xStride,
                                      float[] dw, int dwOff) {
        int wp = Conv3x3.paddedWidth(width), n = samples * Conv3x3.planeStride(height, width);
        for (int o = 0; o < cout; o++) {
            for (int c = 0; c < cin; c++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        float sum = 0f;
                        for (int q = 0; q < n; q++) {
                            sum += dy[dyOff + o * dyStride + wp + 1 + q] * x[xOff + c * xStride + q + i * wp + j];
                        }
                        dw[dwOff + ((o * cin + c) * 3 + i) * 3 + j] += sum;
                    }
                }
            }
        }
    }
}
