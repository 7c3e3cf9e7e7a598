package dev.nnlab.nn.layers;

import dev.nnlab.kernels.MaxPool2x2;
import dev.nnlab.kernels.Parallelism;
import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Max pooling: input {@code (N, C, H, W)}, output {@code (N, C, OH, OW)}, each output the largest
 * value of its K x K window (padded cells never win). No parameters.
 *
 * <p>Forward keeps the flat input index of each window's maximum, so backward routes each output
 * gradient to exactly that input (the first maximum on ties, as PyTorch does). The usual 2x2 window
 * at stride 2 runs {@link MaxPool2x2} instead, which marks the winning input cells and selects in order.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class MaxPool2d extends Pool2d implements Layer {
    private int[] argmax;
    /** For the halving 2x2 pool: per input cell, whether it was its window's maximum. */
    private boolean[] winner;
    private Tensor y, dx;
    /** With {@link #takeGradientOf}: the output gradient with the ReLU's derivative applied, one float per output. */
    private float[] masked;
    private boolean reluFused;

    /** A K x K window moved K at a time: the usual non-overlapping pool. */
    public MaxPool2d(int kernel) {
        this(new WindowGeometry(kernel, kernel, 0));
    }

    public MaxPool2d(WindowGeometry geometry) {
        super(geometry);
    }

    /**
     * Takes over the backward pass of {@code relu}, the layer right before this pool (its output is this pool's
     * input): for a 2x2 window at stride 2 the pool multiplies its output gradient by the ReLU's derivative,
     * {@code dy[o] = y[o] > 0 ? dy[o] : 0} on the pooled values, and the ReLU's backward returns what it is
     * given. The gradient is the same, bit for bit: a window's maximum is its winning cell's ReLU output, and
     * the other cells get 0 either way; but the derivative runs over a quarter of the values, and the ReLU's
     * full-size pass (on W3, 2.4 M values a batch) is gone. The ReLU's forward, and its output that the
     * training monitor reads, are unchanged. Other windows are left as they are (returns false).
     */
    public boolean takeGradientOf(ReLU relu) {
        if (!halving()) return false;
        relu.gradientPassesThrough = true;
        reluFused = true;
        return true;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        return buildShape(name, inputShape);
    }

    /** {@code (N, C, H, W)} -> {@code (N, C, OH, OW)}. */
    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, channels * height * width, name);
        y = BatchBuffers.reuse(y, n, channels, outHeight, outWidth);
        if (halving()) {
            if (winner == null || winner.length != x.size()) winner = new boolean[x.size()];
        } else if (argmax == null || argmax.length != y.size()) {
            argmax = new int[y.size()];
        }
        int planes = n * channels, parts = parts(planes);
        Parallelism.forEachTask(parts, t -> {
            int from = (int) ((long) planes * t / parts), to = (int) ((long) planes * (t + 1) / parts);
            if (halving()) MaxPool2x2.forward(to - from, height, width, x.data, x.offset + from * height * width,
                    y.data, y.offset + from * outHeight * outWidth, winner, from * height * width);
            else forwardPlanes(x, from, to);
        });
        return y;
    }

    /** The usual 2x2 window at stride 2 without padding, which {@link MaxPool2x2} computes. */
    private boolean halving() {
        return geometry.kernel() == 2 && geometry.stride() == 2 && geometry.padding() == 0;
    }

    /** Parts of {@code planes} planes: a few per kernel thread ({@link Parallelism#balancedTasks}) once there is enough work to share. */
    private int parts(int planes) {
        return (long) planes * height * width < PARALLEL_MIN_VALUES ? 1 : Parallelism.balancedTasks(planes);
    }

    /** Below this many input values a pass stays on the caller's thread: waking a worker costs more. */
    static final int PARALLEL_MIN_VALUES = 1 << 15;

    private void forwardPlanes(Tensor x, int fromPlane, int toPlane) {
        int k = geometry.kernel(), stride = geometry.stride(), pad = geometry.padding();
        float[] xs = x.data;
        int o = fromPlane * outHeight * outWidth;
        for (int plane = fromPlane; plane < toPlane; plane++) {
            int base = plane * height * width;
            for (int oh = 0; oh < outHeight; oh++) {
                for (int ow = 0; ow < outWidth; ow++, o++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int i = 0; i < k; i++) {
                        int h = oh * stride - pad + i;
                        if (h < 0 || h >= height) continue;
                        for (int j = 0; j < k; j++) {
                            int w = ow * stride - pad + j;
                            if (w < 0 || w >= width) continue;
                            int idx = base + h * width + w;
                            float v = xs[x.offset + idx];
                            // at < 0 also takes a NaN or -inf first value, so a window always has a source.
                            if (v > best || at < 0) {
                                best = v;
                                at = idx;
                            }
                        }
                    }
                    y.data[y.offset + o] = best;
                    argmax[o] = at;
                }
            }
        }
    }

    /** {@code dy (N, C, OH, OW)} -> {@code dx (N, C, H, W)}, non-zero only at each window's maximum. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        dx = BatchBuffers.reuse(dx, y.rows(), channels, height, width);
        int planes = y.rows() * channels, parts = parts(planes), inPlane = height * width, outPlane = outHeight * outWidth;
        if (reluFused && (masked == null || masked.length != y.size())) masked = new float[y.size()];
        // Each window's source lies in its own plane, so parts of whole planes never write the same cell.
        Parallelism.forEachTask(parts, t -> {
            int from = (int) ((long) planes * t / parts), to = (int) ((long) planes * (t + 1) / parts);
            if (reluFused) {
                int o = from * outPlane, count = (to - from) * outPlane;
                VectorOps.reluBackward(count, y.data, y.offset + o, dy.data, dy.offset + o, masked, o);
                MaxPool2x2.backward(to - from, height, width, masked, o, winner, from * inPlane, dx.data, dx.offset + from * inPlane);
                return;
            }
            if (halving()) {
                MaxPool2x2.backward(to - from, height, width, dy.data, dy.offset + from * outPlane, winner, from * inPlane,
                        dx.data, dx.offset + from * inPlane);
                return;
            }
            Arrays.fill(dx.data, dx.offset + from * inPlane, dx.offset + to * inPlane, 0f);
            for (int o = from * outPlane, end = to * outPlane; o < end; o++) dx.data[dx.offset + argmax[o]] += dy.data[dy.offset + o];
        });
        return dx;
    }

    @Override
    public String kind() { return "maxpool"; }
}
