package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Conv3x3;
import dev.nnlab.kernels.Conv3x3Patches;
import dev.nnlab.kernels.Conv3x3Wide;
import dev.nnlab.kernels.Conv3x3Winograd;
import dev.nnlab.kernels.Conv3x3WinogradGradient;
import dev.nnlab.kernels.VectorOps;

/**
 * {@link Conv2d}'s path for 3x3 windows at stride 1 with padding 1 (every convolution of W3 and of
 * ResNet-20 but its two downsampling ones): the direct kernels of {@link Conv3x3} on padded planes
 * instead of im2col and a product. Padding a sample copies it once; im2col copied it nine times,
 * and the product then packed it again.
 *
 * <p>The weight gradient runs over groups of samples at once, their planes of one channel one after
 * another, so that its loop is long and its vector sums are reduced once per group rather than once
 * per sample: on an 8x8 image a sample is only 13 vectors per channel. A group is as many samples as
 * make about {@value #GROUP_FLOATS} floats per channel.
 *
 * <p>Where the width is a whole number of vectors, forward and the input-gradient pass write straight
 * into the output images ({@link Conv3x3#forwardImage}); other widths go through flat rows and a crop.
 *
 * <p>From {@value #GEMM_GRADIENT_CHANNELS} input channels the weight gradient is one product per sample
 * ({@link Conv3x3#weightGradientGemm}) and needs no groups; layers of flat rows with
 * {@value #GEMM_OUTPUTS} or more outputs run forward, or the input gradient, as implicit products
 * ({@link Conv3x3#forwardGemm}). The choices were measured per layer shape, see the constants.
 *
 * <p>From {@value #WINOGRAD_CHANNELS} channels in (for the input gradient: filters) at 16 lanes, forward and the input
 * gradient run by Winograd's F(2x2, 3x3) instead ({@link Conv3x3Winograd}: 2.25 times fewer multiply-adds, not the
 * same bits), a few samples per call where an image is smaller than its block of tiles.
 *
 * <p>Buffers are per thread of a split call (its slot, {@link dev.nnlab.kernels.Parallelism#slots}), allocated once; the zeros
 * around each padded plane are written at allocation and never overwritten.
 */
final class Conv3x3Direct implements GroupedGradient {
    static final int GROUP_FLOATS = 2048, MAX_GROUP = 16;
    /**
     * Floats per channel of a group for {@link Conv3x3Wide#weightGradient}: its 18 sums are reduced once per call, and
     * the group's input planes (16 channels of 32x32: about 230 kB) stay in L2 across the output channels.
     */
    static final int WIDE_GROUP_FLOATS = 4096;
    /**
     * From this many input channels the weight gradient runs as a product per sample
     * ({@link Conv3x3#weightGradientGemm}); below it the packing of the output gradient costs more than the
     * product saves (one thread, thread CPU time, batch 64: 1 channel 28x28 to 32 ran 2.4x slower as a
     * product, 4 channels 32x32 to 16 about even, 16 channels 32x32 1.6x and 32 channels 14x14 to 64 about
     * 2x faster).
     */
    static final int GEMM_GRADIENT_CHANNELS = 8;
    /**
     * From this many output channels (and {@link #GEMM_GRADIENT_CHANNELS} in) a pass through flat rows runs as
     * an implicit product through the SGEMM micro-kernel ({@link Conv3x3#forwardGemm}) rather than the direct
     * kernel (one thread, thread CPU time, batch 64, under load: 32 channels 14x14 to 64 about 1.2x faster; 16 to
     * 16 at 32x32 and a first layer of one channel slower: too few output tiles share each copied strip).
     */
    static final int GEMM_OUTPUTS = 32;
    /**
     * From this many input channels forward (and from this many output channels the input gradient) runs by Winograd's
     * F(2x2, 3x3) where {@link Conv3x3Winograd#fits} (2.25 times fewer multiply-adds, plus transforms that cost the
     * same per pixel whatever the channels, so the fewer the channels the smaller the gain). One thread, batch 128,
     * forward of ResNet-20's 16 x 32x32 to 16: 3.2 ms against 3.6-3.75 for {@link Conv3x3Wide} (which pads each sample
     * first; the transforms read the images); before the transforms read the images themselves, the two were even.
     */
    static final int WINOGRAD_CHANNELS = 16;
    /** {@code -Dnnlab.conv.winograd=false} runs the direct kernels everywhere: to compare the two on the same build. */
    static final boolean WINOGRAD = !"false".equals(System.getProperty("nnlab.conv.winograd"));

    private final int channels, filters, height, width, ps, lq, group;
    /** Widths of whole vectors (ResNet's 32, 16, 8) write outputs straight into the images, no flat rows, no crop. */
    private final boolean imageTiled;
    /** Whether image-tiled passes take the 4 x 4 register tile for 32 vector registers ({@link Conv3x3Wide}). */
    private final boolean wide;
    /**
     * Whether the weight gradient runs along grouped planes with {@link Conv3x3Wide#weightGradient} rather than as a
     * product: where the filters fit one vector, the product's panel of 2 vectors would be half zeros (one thread,
     * thread CPU time, batch 128, 512 bits: 16 x 32x32 to 16 backward 13.3 to 10.4 ms; 32 x 16x16 to 32, whose flat
     * planes are 37% padding, 8.3 ms as a product against 11.3 along planes).
     */
    private final boolean wideGradient;
    /**
     * Whether all three passes run as products over the image's own pixels ({@link Conv3x3Patches}) rather than over
     * flat rows: where all three would be products and the image is whole strips of 2 vectors (ResNet's 64 x 8x8 on
     * 16 lanes, where flat rows compute 96 positions for 64 pixels). One thread, thread CPU time, batch 128: forward
     * 5.1 to 3.8 ms, backward 10.8 to 8.2 ms. Not for image-tiled sizes: 32 x 16x16 to 32 ran 4.1 + 8.6 ms through
     * {@link Conv3x3Wide} and 4.8 + 9.8 ms as products over its pixels.
     */
    private final boolean patches;
    /** Whether the weight gradient runs as a product per sample instead of along grouped planes. */
    private final boolean gemmGradient;
    /** Whether forward, and the input-gradient pass, run as implicit products ({@link Conv3x3#forwardGemm}). */
    private final boolean gemmForward, gemmInputGradient;
    /** Whether forward, and the input-gradient pass, run by {@link Conv3x3Winograd} (see {@link #WINOGRAD_CHANNELS}). */
    private final boolean winogradForward, winogradInputGradient;
    /** Whether the product path's weight gradient runs by the same transforms ({@link Conv3x3WinogradGradient}). */
    private final boolean winogradGradient;
    private final float[] packed, packedFlipped, gemmWeights, gemmFlipped, winogradWeights, winogradFlipped;
    private float[][] xs, dys, flats, packedDys, dwTs, scratches, patchRows, margins, winogradScratches, winogradSums,
            winogradGradientScratches;

    /** Samples per group of the grouped weight gradient for this shape; 0 where it runs as a product per sample instead. */
    static int groupFor(int channels, int filters, int height, int width) {
        boolean wideGradient = Conv3x3Wide.fits(height, width) && filters <= Conv3x3Wide.lanes();
        if (channels >= GEMM_GRADIENT_CHANNELS && !wideGradient) return 0;
        return wideGradient ? Math.max(1, Math.min(MAX_GROUP, WIDE_GROUP_FLOATS / Conv3x3.planeStride(height, width)))
                : Math.max(1, Math.min(MAX_GROUP, GROUP_FLOATS / Conv3x3.flatLength(height, width)));
    }

    /** True when {@link Conv3x3} computes this window: 3x3, stride 1, padding 1. */
    static boolean fits(WindowGeometry g) {
        return g.kernel() == 3 && g.stride() == 1 && g.padding() == 1;
    }

    Conv3x3Direct(int channels, int filters, int height, int width) {
        this.channels = channels;
        this.filters = filters;
        this.height = height;
        this.width = width;
        ps = Conv3x3.planeStride(height, width);
        lq = Conv3x3.flatLength(height, width);
        imageTiled = Conv3x3.imageTiled(height, width);
        wide = Conv3x3Wide.fits(height, width);
        wideGradient = wide && filters <= Conv3x3Wide.lanes();
        gemmGradient = channels >= GEMM_GRADIENT_CHANNELS && !wideGradient;
        group = gemmGradient ? 1 : groupFor(channels, filters, height, width);
        patches = !imageTiled && gemmGradient && filters >= GEMM_OUTPUTS && channels >= GEMM_OUTPUTS && Conv3x3Patches.fits(height, width);
        gemmForward = patches || !imageTiled && Conv3x3.gemmAvailable() && filters >= GEMM_OUTPUTS && channels >= GEMM_GRADIENT_CHANNELS;
        gemmInputGradient = patches || !imageTiled && Conv3x3.gemmAvailable() && channels >= GEMM_OUTPUTS && filters >= GEMM_GRADIENT_CHANNELS;
        winogradForward = WINOGRAD && channels >= WINOGRAD_CHANNELS && Conv3x3Winograd.fits(channels, filters, height, width);
        winogradInputGradient = WINOGRAD && filters >= WINOGRAD_CHANNELS && Conv3x3Winograd.fits(filters, channels, height, width);
        winogradGradient = WINOGRAD && gemmGradient && channels >= WINOGRAD_CHANNELS
                && Conv3x3WinogradGradient.fits(channels, filters, height, width);
        winogradWeights = new float[winogradForward ? Conv3x3Winograd.weightsLength(channels, filters) : 0];
        winogradFlipped = new float[winogradInputGradient ? Conv3x3Winograd.weightsLength(channels, filters) : 0];
        gemmWeights = new float[gemmForward ? Conv3x3.gemmWeightsLength(channels, filters, false) : 0];
        gemmFlipped = new float[gemmInputGradient ? Conv3x3.gemmWeightsLength(channels, filters, true) : 0];
        packed = new float[channels * filters * 9];
        packedFlipped = new float[channels * filters * 9];
    }

    /** Floats of the Winograd buffers {@link #ensureParts} allocates per part (0 where no pass runs by Winograd). */
    long winogradFloatsPerPart() {
        long floats = winogradForward || winogradInputGradient ? Conv3x3Winograd.scratchLength(channels, filters) : 0;
        if (winogradGradient) {
            floats += Conv3x3WinogradGradient.sumsLength(channels, filters) + Conv3x3WinogradGradient.scratchLength(channels, filters);
        }
        return floats;
    }

    /** Buffers for {@code parts} parts (kept when there already are as many). */
    @Override
    public void ensureParts(int parts) {
        if (xs != null && xs.length >= parts) return;
        // Channel-major groups ([channel][sample][plane]) so that the weight gradient runs along a channel's
        // planes of all samples in one loop; one spare plane of zeros after the last channel for its reads.
        xs = new float[parts][(group * channels + 1) * ps];
        dys = new float[parts][(group * filters + 1) * ps];
        flats = new float[parts][imageTiled ? 0 : Math.max(channels, filters) * lq];
        packedDys = new float[parts][!gemmGradient ? 0 : patches ? Conv3x3Patches.packedGradientLength(filters, height, width)
                : Conv3x3.packedGradientLength(filters, height, width)];
        margins = new float[parts][patches ? Math.max(channels, filters) * Conv3x3Patches.marginStride(height, width) : 0];
        patchRows = new float[parts][patches ? Conv3x3Patches.patchRowsLength(channels, height, width) : 0];
        dwTs = new float[parts][gemmGradient ? 9 * channels * Conv3x3.gradientColumns(filters) : 0];
        scratches = new float[parts][gemmForward || gemmInputGradient ? Conv3x3.gemmScratchLength(Math.max(channels, filters)) : 0];
        winogradScratches = new float[parts][winogradForward || winogradInputGradient ? Conv3x3Winograd.scratchLength(channels, filters) : 0];
        winogradSums = new float[parts][winogradGradient ? Conv3x3WinogradGradient.sumsLength(channels, filters) : 0];
        winogradGradientScratches = new float[parts][winogradGradient ? Conv3x3WinogradGradient.scratchLength(channels, filters) : 0];
    }

    /** Packs the weights and bias (null: none) for {@link #forward}. */
    void packForward(float[] w, int wOff, float[] bias, int biasOff) {
        if (winogradForward) Conv3x3Winograd.packWeights(channels, filters, w, wOff, false, winogradWeights);
        else if (gemmForward) Conv3x3.packGemmWeights(channels, filters, w, wOff, bias, biasOff, false, gemmWeights);
        else Conv3x3.packWeights(channels, filters, w, wOff, false, packed);
    }

    void packBackward(float[] w, int wOff) {
        if (winogradInputGradient) Conv3x3Winograd.packWeights(channels, filters, w, wOff, true, winogradFlipped);
        else if (gemmInputGradient) Conv3x3.packGemmWeights(channels, filters, w, wOff, null, 0, true, gemmFlipped);
        else Conv3x3.packWeights(channels, filters, w, wOff, true, packedFlipped);
    }

    /** y for samples [first, end); bias may be null. */
    void forward(float[] x, int xOff, float[] bias, int biasOff, float[] y, int yOff, int first, int end, int part) {
        int in = channels * height * width, out = filters * height * width;
        float[] xp = xs[part], flat = flats[part];
        if (winogradForward) {
            winograd(channels, filters, winogradWeights, bias, biasOff, x, xOff, y, yOff, first, end, part);
            return;
        }
        for (int s = first; s < end; s++) {
            if (patches) {
                Conv3x3Patches.toMargins(channels, height, width, x, xOff + s * in, margins[part]);
                Conv3x3Patches.forward(channels, filters, height, width, gemmWeights, margins[part], y, yOff + s * out, scratches[part]);
                continue;
            }
            Conv3x3.pad(channels, height, width, x, xOff + s * in, xp, 0, ps);
            if (imageTiled) {
                forwardImage(channels, filters, height, width, packed, bias, biasOff, xp, 0, ps, y, yOff + s * out, height * width);
                continue;
            }
            if (gemmForward) Conv3x3.forwardGemm(channels, filters, height, width, gemmWeights, xp, 0, ps, flat, 0, scratches[part]);
            else Conv3x3.forward(channels, filters, height, width, packed, bias, biasOff, xp, 0, ps, flat, 0);
            Conv3x3.crop(filters, height, width, flat, 0, y, yOff + s * out);
        }
    }

    /** Whether the weight gradient is one product per sample ({@link #backwardWeights}) rather than along grouped planes ({@link #backwardGroup}). */
    boolean productGradient() { return gemmGradient; }

    @Override
    public int group() { return group; }

    @Override
    public float biasSum(float[] dy, int dyOff, int s, int f) {
        int pixels = height * width;
        return VectorOps.sum(pixels, dy, dyOff + s * filters * pixels + f * pixels);
    }

    /**
     * The grouped path for one group of {@code count} samples from g0: adds the group's weight gradient into dw (each
     * weight gets one addition, of the group's sum) and writes the samples' dx unless dx is null. A group's sum into
     * a zeroed dw, added to others in group order, gives the same bits as the groups summed into one dw in turn.
     */
    @Override
    public void backwardGroup(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, float[] dw, int g0, int count, int part) {
        int in = channels * height * width, out = filters * height * width, pixels = height * width;
        float[] xp = xs[part], dyp = dys[part], flat = flats[part];
        for (int k = 0; k < count; k++) {
            int s = g0 + k;
            Conv3x3.pad(channels, height, width, x, xOff + s * in, xp, k * ps, group * ps);
            Conv3x3.pad(filters, height, width, dy, dyOff + s * out, dyp, k * ps, group * ps);
        }
        if (wideGradient) Conv3x3Wide.weightGradient(channels, filters, height, width, count, dyp, 0, group * ps, xp, 0, group * ps, dw, 0);
        else Conv3x3.weightGradient(channels, filters, height, width, count, dyp, 0, group * ps, xp, 0, group * ps, dw, 0);
        if (dx == null) return;
        if (winogradInputGradient) {
            if (count > 0) {
                Conv3x3Winograd.forward(filters, channels, height, width, winogradFlipped, null, 0, dy, dyOff + g0 * out, out, pixels,
                        dx, dxOff + g0 * in, in, pixels, count, winogradScratches[part]);
            }
            return;
        }
        for (int k = 0; k < count; k++) {
            if (imageTiled) {
                forwardImage(filters, channels, height, width, packedFlipped, null, 0, dyp, k * ps, group * ps,
                        dx, dxOff + (g0 + k) * in, pixels);
                continue;
            }
            Conv3x3.forward(filters, channels, height, width, packedFlipped, null, 0, dyp, k * ps, group * ps, flat, 0);
            Conv3x3.crop(channels, height, width, flat, 0, dx, dxOff + (g0 + k) * in);
        }
    }

    /**
     * The product path's weight and bias gradients of samples [first, end), one product per sample into a transposed
     * private sum, added to dw (and the bias sums to db, unless null) at the end.
     */
    void backwardWeights(float[] x, int xOff, float[] dy, int dyOff, float[] dw, float[] db, int first, int end, int part) {
        int in = channels * height * width, out = filters * height * width;
        if (winogradGradient) {
            winogradWeights(x, xOff, dy, dyOff, dw, db, first, end, part);
            return;
        }
        float[] xp = xs[part], pd = packedDys[part], dwT = dwTs[part];
        java.util.Arrays.fill(dwT, 0f);
        for (int s = first; s < end; s++) {
            if (patches) {
                Conv3x3Patches.toMargins(channels, height, width, x, xOff + s * in, margins[part]);
                Conv3x3Patches.patchRows(channels, height, width, margins[part], patchRows[part]);
                Conv3x3Patches.packGradient(filters, height, width, dy, dyOff + s * out, pd);
                Conv3x3Patches.weightGradient(channels, filters, height, width, pd, patchRows[part], dwT);
            } else {
                Conv3x3.pad(channels, height, width, x, xOff + s * in, xp, 0, ps);
                Conv3x3.packGradient(filters, height, width, dy, dyOff + s * out, pd, 0);
                Conv3x3.weightGradientGemm(channels, filters, height, width, pd, 0, xp, 0, ps, dwT);
            }
            for (int f = 0; db != null && f < filters; f++) db[f] += biasSum(dy, dyOff, s, f);
        }
        Conv3x3.addTransposed(channels, filters, dwT, dw, 0);
    }

    /** The product path's input gradient of samples [first, end): independent per sample, any cut gives the same bits. */
    void backwardInputs(float[] dy, int dyOff, float[] dx, int dxOff, int first, int end, int part) {
        int in = channels * height * width, out = filters * height * width, pixels = height * width;
        float[] dyp = dys[part], flat = flats[part];
        if (winogradInputGradient) {
            winograd(filters, channels, winogradFlipped, null, 0, dy, dyOff, dx, dxOff, first, end, part);
            return;
        }
        for (int s = first; s < end; s++) {
            if (patches) {
                Conv3x3Patches.toMargins(filters, height, width, dy, dyOff + s * out, margins[part]);
                Conv3x3Patches.forward(filters, channels, height, width, gemmFlipped, margins[part], dx, dxOff + s * in, scratches[part]);
                continue;
            }
            Conv3x3.pad(filters, height, width, dy, dyOff + s * out, dyp, 0, ps);
            if (imageTiled) {
                forwardImage(filters, channels, height, width, packedFlipped, null, 0, dyp, 0, ps, dx, dxOff + s * in, pixels);
                continue;
            }
            if (gemmInputGradient) Conv3x3.forwardGemm(filters, channels, height, width, gemmFlipped, dyp, 0, ps, flat, 0, scratches[part]);
            else Conv3x3.forward(filters, channels, height, width, packedFlipped, null, 0, dyp, 0, ps, flat, 0);
            Conv3x3.crop(channels, height, width, flat, 0, dx, dxOff + s * in);
        }
    }

    /** Samples [first, end) of images of {@code cin} channels through {@link Conv3x3Winograd}, straight from the images. */
    private void winograd(int cin, int cout, float[] u, float[] bias, int biasOff, float[] x, int xOff, float[] y, int yOff,
                          int first, int end, int part) {
        int pixels = height * width, in = cin * pixels, out = cout * pixels;
        if (end <= first) return;
        Conv3x3Winograd.forward(cin, cout, height, width, u, bias, biasOff, x, xOff + first * in, in, pixels,
                y, yOff + first * out, out, pixels, end - first, winogradScratches[part]);
    }

    /** {@link #backwardWeights} by {@link Conv3x3WinogradGradient}: the part's transformed sums, turned into dW once at the end. */
    private void winogradWeights(float[] x, int xOff, float[] dy, int dyOff, float[] dw, float[] db, int first, int end, int part) {
        int pixels = height * width, in = channels * pixels, out = filters * pixels;
        float[] du = winogradSums[part];
        if (end <= first) return; // an empty part (a batch of one): its sums stay zero
        java.util.Arrays.fill(du, 0f);
        Conv3x3WinogradGradient.accumulate(channels, filters, height, width, x, xOff + first * in, in, pixels,
                dy, dyOff + first * out, out, pixels, end - first, du, winogradGradientScratches[part]);
        for (int s = first; s < end; s++) {
            for (int f = 0; db != null && f < filters; f++) db[f] += biasSum(dy, dyOff, s, f);
        }
        Conv3x3WinogradGradient.finish(channels, filters, du, dw, 0);
    }

    /** {@link Conv3x3#forwardImage}, through the wider register tile where it fits. */
    private void forwardImage(int cin, int cout, int height, int width, float[] packed, float[] bias, int biasOff,
                              float[] x, int xOff, int channelStride, float[] y, int yOff, int yStride) {
        if (wide) Conv3x3Wide.forwardImage(cin, cout, height, width, packed, bias, biasOff, x, xOff, channelStride, y, yOff, yStride);
        else Conv3x3.forwardImage(cin, cout, height, width, packed, bias, biasOff, x, xOff, channelStride, y, yOff, yStride);
    }
}
