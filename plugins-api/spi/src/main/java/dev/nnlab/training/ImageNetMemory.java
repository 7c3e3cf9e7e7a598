package dev.nnlab.training;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.layers.Conv2d;
import dev.nnlab.nn.layers.WindowGeometry;
import dev.nnlab.spi.MemoryEstimate;

import java.util.Map;

/**
 * Counts, layer by layer and without building anything, what a convolutional network trained by
 * {@link SupervisedTraining} keeps on the heap: parameter values (buffers included), trainable
 * parameters, the floats one sample keeps across a training step (the input copy, each layer's
 * output and input gradient, and the caches backward needs), and the buffers a layer keeps once
 * whatever the batch (the im2col and col2im matrices of a convolution, {@code C*K*K x OH*OW} each,
 * one sample at a time). Counts are longs: the point is to refuse networks too large to build.
 *
 * <p>Shapes follow the layers' arithmetic, floored as {@code WindowGeometry} does; whether a window
 * tiles its input is checked elsewhere.
 *
 * <p>Stability: evolving.
 */
public final class ImageNetMemory {
    private long c, h, w;
    private long values, trainable, perSample, fixed;

    /** Starts at the input, counted once per sample (the mini-batch copy). */
    public ImageNetMemory(int[] sampleShape) {
        int[] s = sampleShape.length == 2 ? new int[] {1, sampleShape[0], sampleShape[1]} : sampleShape;
        if (s.length == 3) {
            c = s[0];
            h = s[1];
            w = s[2];
        } else {
            long d = 1;
            for (int x : s) d *= x;
            c = d;
            h = w = 1;
        }
        perSample = size();
    }

    private long size() { return c * h * w; }

    private static long out(long in, long k, long stride, long pad) {
        return Math.max(1, (in - k + 2 * pad) / stride + 1);
    }

    /**
     * A K x K convolution of {@code filters} channels: weight and bias, output and input gradient, im2col and col2im,
     * and the weight-gradient sums of the parts of a batch split across the kernel threads.
     */
    public ImageNetMemory conv(long filters, long k, long stride, long pad, boolean bias) {
        long in = size(), patch = c * k * k, inH = h, inW = w;
        h = out(h, k, stride, pad);
        w = out(w, k, stride, pad);
        long p = filters * patch + (bias ? filters : 0);
        values += p;
        trainable += p;
        fixed += 2 * patch * h * w;
        // Each part of a split batch sums its weight gradient privately, in order to add the parts in a fixed order.
        fixed += (long) Conv2d.PARTS_PER_THREAD * Parallelism.threads() * filters * patch;
        // A 3x3 layer on the grouped path sums its weight gradient per group of samples, and its bias gradient per
        // sample, so that the groups can be claimed by whichever thread is free: n / group + one short group per part.
        int group = k != 3 || pad != 1 || (stride != 1 && stride != 2) || c > Integer.MAX_VALUE || filters > Integer.MAX_VALUE
                || inH > Integer.MAX_VALUE || inW > Integer.MAX_VALUE ? 0
                : Conv2d.gradientGroup((int) c, (int) filters, (int) inH, (int) inW, new WindowGeometry((int) k, (int) stride, (int) pad));
        if (group > 0) {
            perSample += (filters * patch + group - 1) / group + (bias ? filters : 0);
            fixed += (long) Conv2d.PARTS_PER_THREAD * Parallelism.threads() * filters * patch;
        }
        // Passes by Winograd's transforms keep a block of transformed tiles (and the weight gradient's sums) per thread.
        if (k == 3 && pad == 1 && stride == 1 && c <= Integer.MAX_VALUE && filters <= Integer.MAX_VALUE
                && inH <= Integer.MAX_VALUE && inW <= Integer.MAX_VALUE) {
            fixed += Parallelism.threads() * Conv2d.winogradFloatsPerThread((int) c, (int) filters, (int) inH, (int) inW,
                    new WindowGeometry(3, 1, 1));
        }
        c = filters;
        perSample += size() + in;
        return this;
    }

    /** A pooling window: output, input gradient and, for max pooling, the argmax of each output. */
    public ImageNetMemory pool(long k, long stride, boolean max) {
        long in = size();
        h = out(h, k, stride, 0);
        w = out(w, k, stride, 0);
        perSample += size() * (max ? 2 : 1) + in;
        return this;
    }

    /** Batch norm over channels (or features): gamma, beta, running mean and variance; output and input gradient (xhat is recomputed from the input). */
    public ImageNetMemory batchNorm() {
        values += 4 * c;
        trainable += 2 * c;
        perSample += 2 * size();
        return this;
    }

    /** An element-wise layer (activation, flatten): output and input gradient. */
    public ImageNetMemory pointwise() {
        perSample += 2 * size();
        return this;
    }

    /** Dropout: output, mask, input gradient. */
    public ImageNetMemory dropout() {
        perSample += 3 * size();
        return this;
    }

    /** The sum of a residual block and its shortcut, and the gradient it hands to both. */
    public ImageNetMemory residualAdd() {
        perSample += 2 * size();
        return this;
    }

    /** Option A's shortcut: every {@code stride}-th pixel, zero channels up to {@code channels}. */
    public ImageNetMemory zeroPadShortcut(long channels, long stride) {
        long in = size();
        h = (h + stride - 1) / stride;
        w = (w + stride - 1) / stride;
        c = channels;
        perSample += size() + in;
        return this;
    }

    /** Global average pooling to one value per channel. */
    public ImageNetMemory globalAvgPool() {
        long in = size();
        h = w = 1;
        perSample += c + in;
        return this;
    }

    /** A fully connected layer of {@code units} on the flattened input: weight and bias, output and input gradient. */
    public ImageNetMemory dense(long units) {
        long in = size();
        values += in * units + units;
        trainable += in * units + units;
        c = units;
        h = w = 1;
        perSample += units + in;
        return this;
    }

    /** Saves and restores the running shape around a branch (a shortcut beside a block body). */
    public long[] shape() { return new long[] {c, h, w}; }

    public ImageNetMemory shape(long[] s) {
        c = s[0];
        h = s[1];
        w = s[2];
        return this;
    }

    public long parameterValues() { return values; }

    public long trainableValues() { return trainable; }

    /**
     * The estimate for these resolved common parameters: the loss buffers (two per class) join the
     * per-sample count, which {@link CommonSetup#memoryEstimate} multiplies by the rows of a batch; the
     * fixed im2col buffers are added once.
     */
    public MemoryEstimate estimate(Map<String, Object> params, int classes) {
        MemoryEstimate e = CommonSetup.memoryEstimate(params, values, trainable, perSample + 2L * classes);
        long extra = fixed > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : fixed * Float.BYTES;
        long activations = e.activations() > Long.MAX_VALUE - extra ? Long.MAX_VALUE : e.activations() + extra;
        return MemoryEstimate.of(e.parameters(), e.gradients(), e.optimizerState(), activations, e.snapshots());
    }
}
