package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Conv3x3Stride2;
import dev.nnlab.kernels.Conv3x3Stride2Wide;
import dev.nnlab.kernels.VectorOps;

/**
 * {@link Conv2d}'s path for 3x3 windows at stride 2 with padding 1 (ResNet's downsampling convolutions):
 * the polyphase kernels of {@link Conv3x3Stride2} instead of im2col and a product. A sample is split
 * into its four phase planes once per pass (one copy of the input); im2col copied it nine times (as
 * strided gathers), and the product packed it again.
 *
 * <p>As in {@link Conv3x3Direct}, the weight gradient runs over groups of samples whose planes of one
 * channel follow each other, so that its loop is long and its sums are reduced once per group; a group
 * is as many samples as make about {@value #GROUP_FLOATS} floats per plane.
 *
 * <p>On 16 lanes, even sides whose output image is whole tiles of 4 vectors (ResNet's 32x32 and 16x16) take
 * {@link Conv3x3Stride2Wide}'s tap planes instead: outputs straight into the images, no thrown-away column, no
 * crop, and a 4 x 4 register tile (one thread, thread CPU time, batch 128: see {@code ResNetLayerSpeed}).
 *
 * <p>Buffers are per thread of a split call (its slot, {@link dev.nnlab.kernels.Parallelism#slots}), allocated once; the zeros around
 * each image in its planes are written at allocation and never overwritten.
 */
final class Conv3x3Stride2Direct implements GroupedGradient {
    static final int GROUP_FLOATS = 2048, MAX_GROUP = 16;

    private final int channels, filters, height, width, ps, lq, lp, group;
    /** Whether the tap planes of {@link Conv3x3Stride2Wide} run this size. */
    private final boolean wide;
    private final float[] packed, packedBackward;
    private float[][] xs, dys, flats;

    /** Samples per group of the weight gradient for an input of this size. */
    static int groupFor(int height, int width) {
        int ps = Conv3x3Stride2Wide.fits(height, width) ? Conv3x3Stride2Wide.planeStride(height, width) : Conv3x3Stride2.planeStride(height, width);
        return Math.max(1, Math.min(MAX_GROUP, GROUP_FLOATS / ps));
    }

    /** True when {@link Conv3x3Stride2} computes this window: 3x3, stride 2, padding 1. */
    static boolean fits(WindowGeometry g) {
        return g.kernel() == 3 && g.stride() == 2 && g.padding() == 1;
    }

    Conv3x3Stride2Direct(int channels, int filters, int height, int width) {
        this.channels = channels;
        this.filters = filters;
        this.height = height;
        this.width = width;
        wide = Conv3x3Stride2Wide.fits(height, width);
        ps = wide ? Conv3x3Stride2Wide.planeStride(height, width) : Conv3x3Stride2.planeStride(height, width);
        lq = Conv3x3Stride2.flatLength(height, width);
        lp = Conv3x3Stride2.phaseFlatLength(height, width);
        group = groupFor(height, width);
        packed = new float[channels * filters * 9];
        packedBackward = new float[channels * filters * 9];
    }

    /** Buffers for {@code parts} parts (kept when there already are as many). */
    @Override
    public void ensureParts(int parts) {
        if (xs != null && xs.length >= parts) return;
        // [channel][phase][sample][plane] and [filter][sample][plane], zeros after the last plane for the last reads.
        if (wide) {
            // [channel][6 tap planes][sample][plane] and [filter][2 gradient planes][sample][plane].
            int tail = Conv3x3Stride2Wide.tailFloats(width), pixels = (height / 2) * (width / 2);
            xs = new float[parts][6 * channels * group * ps + tail];
            dys = new float[parts][2 * filters * group * ps + tail];
            flats = new float[parts][4 * channels * pixels];
            return;
        }
        int tail = Math.max(Conv3x3Stride2.tailFloats(height, width), Conv3x3Stride2.lead(width));
        xs = new float[parts][4 * channels * group * ps + tail];
        dys = new float[parts][filters * group * ps + tail];
        flats = new float[parts][Math.max(filters * lq, channels * lp)];
    }

    void packForward(float[] w, int wOff) {
        Conv3x3Stride2.packForward(channels, filters, w, wOff, packed);
    }

    void packBackward(float[] w, int wOff) {
        Conv3x3Stride2.packInputGradient(channels, filters, w, wOff, packedBackward);
    }

    /** y for samples [first, end); bias may be null. */
    void forward(float[] x, int xOff, float[] bias, int biasOff, float[] y, int yOff, int first, int end, int part) {
        int in = channels * height * width, out = filters * Conv3x3Stride2.outSize(height) * Conv3x3Stride2.outSize(width);
        float[] xp = xs[part], flat = flats[part];
        for (int s = first; s < end; s++) {
            if (wide) {
                Conv3x3Stride2Wide.split(channels, height, width, x, xOff + s * in, xp, 0, group * ps);
                Conv3x3Stride2Wide.forward(channels, filters, height, width, packed, bias, biasOff, xp, 0, group * ps, y, yOff + s * out);
                continue;
            }
            Conv3x3Stride2.split(channels, height, width, x, xOff + s * in, xp, 0, group * ps);
            Conv3x3Stride2.forward(channels, filters, height, width, packed, bias, biasOff, xp, 0, group * ps, flat, 0);
            Conv3x3Stride2.crop(filters, height, width, flat, 0, y, yOff + s * out);
        }
    }

    @Override
    public int group() { return group; }

    @Override
    public float biasSum(float[] dy, int dyOff, int s, int f) {
        int pixels = Conv3x3Stride2.outSize(height) * Conv3x3Stride2.outSize(width);
        return VectorOps.sum(pixels, dy, dyOff + (s * filters + f) * pixels);
    }

    /**
     * One group of {@code count} samples from g0: adds the group's weight gradient into dw (one addition per weight,
     * of the group's sum) and writes the samples' dx unless dx is null.
     */
    @Override
    public void backwardGroup(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, float[] dw, int g0, int count, int part) {
        int pixels = Conv3x3Stride2.outSize(height) * Conv3x3Stride2.outSize(width);
        int in = channels * height * width, out = filters * pixels;
        float[] xp = xs[part], dyp = dys[part], flat = flats[part];
        int stride = group * ps;
        if (wide) {
            for (int k = 0; k < count; k++) {
                int s = g0 + k;
                Conv3x3Stride2Wide.split(channels, height, width, x, xOff + s * in, xp, k * ps, stride);
                Conv3x3Stride2Wide.padGradient(filters, height, width, dy, dyOff + s * out, dyp, k * ps, stride);
            }
            Conv3x3Stride2Wide.weightGradient(channels, filters, height, width, count, dyp, 0, stride, xp, 0, stride, dw, 0);
            if (dx == null) return;
            for (int k = 0; k < count; k++) {
                for (int ph = 0; ph < 4; ph++) {
                    Conv3x3Stride2Wide.inputGradient(ph, channels, filters, height, width, packedBackward, dyp, k * ps, stride,
                            flat, ph * channels * pixels);
                }
                Conv3x3Stride2Wide.mergeAll(channels, height, width, flat, 0, dx, dxOff + (g0 + k) * in);
            }
            return;
        }
        for (int k = 0; k < count; k++) {
            int s = g0 + k;
            Conv3x3Stride2.split(channels, height, width, x, xOff + s * in, xp, k * ps, stride);
            Conv3x3Stride2.padGradient(filters, height, width, dy, dyOff + s * out, dyp, k * ps, stride);
        }
        Conv3x3Stride2.weightGradient(channels, filters, height, width, count, dyp, 0, stride, xp, 0, stride, dw, 0);
        if (dx == null) return;
        for (int k = 0; k < count; k++) {
            for (int ph = 0; ph < 4; ph++) {
                Conv3x3Stride2.inputGradient(ph, channels, filters, height, width, packedBackward, dyp, k * ps, stride, flat, 0);
                Conv3x3Stride2.merge(ph, channels, height, width, flat, 0, dx, dxOff + (g0 + k) * in);
            }
        }
    }
}
