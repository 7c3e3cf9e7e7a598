package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Max pooling: input {@code (N, C, H, W)}, output {@code (N, C, OH, OW)}, each output the largest
 * value of its K x K window (padded cells never win). No parameters.
 *
 * <p>Forward keeps the flat input index of each window's maximum, so backward routes each output
 * gradient to exactly that input (the first maximum on ties, as PyTorch does).
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class MaxPool2d extends Pool2d implements Layer {
    private int[] argmax;
    private Tensor y, dx;

    /** A K x K window moved K at a time: the usual non-overlapping pool. */
    public MaxPool2d(int kernel) {
        this(new WindowGeometry(kernel, kernel, 0));
    }

    public MaxPool2d(WindowGeometry geometry) {
        super(geometry);
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
        if (argmax == null || argmax.length != y.size()) argmax = new int[y.size()];
        int planes = n * channels, parts = parts(planes);
        Parallelism.forEachTask(parts, t -> {
            int from = (int) ((long) planes * t / parts), to = (int) ((long) planes * (t + 1) / parts);
            if (geometry.padding() == 0 && geometry.kernel() == 2) forward2x2(x, from, to);
            else forwardPlanes(x, from, to);
        });
        return y;
    }

    /** Threads for {@code planes} planes: one part per kernel thread once there is enough work to share. */
    private int parts(int planes) {
        return (long) planes * height * width < PARALLEL_MIN_VALUES ? 1 : Math.min(Parallelism.threads(), planes);
    }

    /** Below this many input values a pass stays on the caller's thread: waking a worker costs more. */
    static final int PARALLEL_MIN_VALUES = 1 << 15;

    /** The common 2x2 window without padding: every window lies inside the image, so no bounds tests. */
    private void forward2x2(Tensor x, int fromPlane, int toPlane) {
        int stride = geometry.stride(), outPlane = outHeight * outWidth;
        float[] xs = x.data, ys = y.data;
        for (int plane = fromPlane; plane < toPlane; plane++) {
            int base = plane * height * width, o = plane * outPlane;
            for (int oh = 0; oh < outHeight; oh++) {
                int r0 = base + oh * stride * width, r1 = r0 + width;
                for (int ow = 0; ow < outWidth; ow++, o++) {
                    int i0 = r0 + ow * stride, i1 = r1 + ow * stride;
                    // The first maximum wins on ties, and a NaN in the first cell stays, as in the general path.
                    // Conditional moves, not branches: on real activations which cell wins is a coin toss.
                    float best = xs[x.offset + i0];
                    int at = i0;
                    float v = xs[x.offset + i0 + 1];
                    boolean more = v > best;
                    best = more ? v : best;
                    at = more ? i0 + 1 : at;
                    v = xs[x.offset + i1];
                    more = v > best;
                    best = more ? v : best;
                    at = more ? i1 : at;
                    v = xs[x.offset + i1 + 1];
                    more = v > best;
                    best = more ? v : best;
                    at = more ? i1 + 1 : at;
                    ys[y.offset + o] = best;
                    argmax[o] = at;
                }
            }
        }
    }

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
        // Each window's source lies in its own plane, so parts of whole planes never write the same cell.
        Parallelism.forEachTask(parts, t -> {
            int from = (int) ((long) planes * t / parts), to = (int) ((long) planes * (t + 1) / parts);
            Arrays.fill(dx.data, dx.offset + from * inPlane, dx.offset + to * inPlane, 0f);
            for (int o = from * outPlane, end = to * outPlane; o < end; o++) dx.data[dx.offset + argmax[o]] += dy.data[dy.offset + o];
        });
        return dx;
    }

    @Override
    public String kind() { return "maxpool"; }
}
