package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * The parameter-free shortcut of He et al. 2016 ("option A") for a residual block that halves the
 * image and widens the channels: input {@code (N, C, H, W)}, output {@code (N, C', ceil(H/S), ceil(W/S))}
 * holding every S-th pixel of each input channel in channels {@code 0..C-1} and zeros in channels
 * {@code C..C'-1}. Used as {@code Residual.withProjection(new ZeroPadShortcut(C', S), body...)}.
 *
 * <p>Backward passes each output gradient of the first C channels back to the pixel it was read
 * from; the zero channels have no input and their gradient is dropped.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class ZeroPadShortcut implements Layer {
    private final int outChannels, stride;
    private String name;
    private int channels, height, width, outHeight, outWidth;
    private Tensor y, dx;

    public ZeroPadShortcut(int outChannels, int stride) {
        if (outChannels < 1) throw new IllegalArgumentException("a shortcut needs at least one output channel, got " + outChannels);
        if (stride < 1) throw new IllegalArgumentException("a shortcut needs stride >= 1, got " + stride);
        this.outChannels = outChannels;
        this.stride = stride;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        if (inputShape.length != 3) {
            throw new WindowGeometry.ShapeException(name + ": a zero-padding shortcut needs (C, H, W) samples, got " + Arrays.toString(inputShape));
        }
        if (inputShape[0] > outChannels) {
            throw new IllegalArgumentException(name + ": cannot pad " + inputShape[0] + " channels down to " + outChannels);
        }
        this.name = name;
        channels = inputShape[0];
        height = inputShape[1];
        width = inputShape[2];
        outHeight = (height + stride - 1) / stride;
        outWidth = (width + stride - 1) / stride;
        return new int[] {outChannels, outHeight, outWidth};
    }

    /** {@code (N, C, H, W)} -> {@code (N, C', ceil(H/S), ceil(W/S))}. */
    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, channels * height * width, name);
        y = BatchBuffers.reuse(y, n, outChannels, outHeight, outWidth);
        int parts = samples(n);
        Parallelism.forEachTask(parts, t -> forwardSamples(x, (int) ((long) n * t / parts), (int) ((long) n * (t + 1) / parts)));
        return y;
    }

    /** {@code dy (N, C', OH, OW)} -> {@code dx (N, C, H, W)}: zero except at the sampled pixels. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        int n = y.rows();
        dx = BatchBuffers.reuse(dx, n, channels, height, width);
        int parts = samples(n);
        Parallelism.forEachTask(parts, t -> backwardSamples(dy, (int) ((long) n * t / parts), (int) ((long) n * (t + 1) / parts)));
        return dx;
    }

    /** Parts of the batch for one pass (whole samples each, so no two threads write the same value), a few per kernel thread. */
    private int samples(int n) {
        return (long) n * channels * height * width < ElementRanges.PARALLEL_MIN_VALUES ? 1 : Parallelism.balancedTasks(n);
    }

    private void forwardSamples(Tensor x, int first, int end) {
        int outPlane = outHeight * outWidth;
        for (int s = first; s < end; s++) {
            for (int c = 0; c < outChannels; c++) {
                int o = y.offset + (s * outChannels + c) * outPlane;
                if (c >= channels) {
                    Arrays.fill(y.data, o, o + outPlane, 0f);
                    continue;
                }
                int in = x.offset + (s * channels + c) * height * width;
                for (int oh = 0; oh < outHeight; oh++) {
                    for (int ow = 0; ow < outWidth; ow++) y.data[o++] = x.data[in + oh * stride * width + ow * stride];
                }
            }
        }
    }

    private void backwardSamples(Tensor dy, int first, int end) {
        int outPlane = outHeight * outWidth, in = channels * height * width;
        Arrays.fill(dx.data, dx.offset + first * in, dx.offset + end * in, 0f);
        for (int s = first; s < end; s++) {
            for (int c = 0; c < channels; c++) {
                int o = dy.offset + (s * outChannels + c) * outPlane;
                int i = dx.offset + (s * channels + c) * height * width;
                for (int oh = 0; oh < outHeight; oh++) {
                    for (int ow = 0; ow < outWidth; ow++) dx.data[i + oh * stride * width + ow * stride] = dy.data[o++];
                }
            }
        }
    }

    @Override
    public String kind() { return "zeropad"; }
}
