package dev.nnlab.nn.layers;

/**
 * A convolution path whose weight gradient runs along groups of samples ({@link Conv3x3Direct}'s grouped planes,
 * {@link Conv3x3Stride2Direct}): each group adds its own sum to each weight once, so groups can run on any thread
 * into their own zeroed sums and be added in group order afterwards, with the bits of one sum taken group by group.
 */
interface GroupedGradient {
    /** Buffers for {@code slots} thread slots (kept when there already are as many). */
    void ensureParts(int slots);

    /** Samples per group. */
    int group();

    /**
     * Adds the weight gradient of the {@code count} samples from g0 into dw, one addition per weight, and writes their
     * dx unless dx is null, with the buffers of thread slot {@code slot}.
     */
    void backwardGroup(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, float[] dw, int g0, int count, int slot);

    /** The bias gradient of filter f from sample s: the sum of its output gradient. */
    float biasSum(float[] dy, int dyOff, int s, int f);
}
