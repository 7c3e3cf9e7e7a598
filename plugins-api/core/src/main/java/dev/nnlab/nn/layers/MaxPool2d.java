package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

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
        int k = geometry.kernel(), stride = geometry.stride(), pad = geometry.padding();
        float[] xs = x.data;
        int o = 0;
        for (int plane = 0; plane < n * channels; plane++) {
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
        return y;
    }

    /** {@code dy (N, C, OH, OW)} -> {@code dx (N, C, H, W)}, non-zero only at each window's maximum. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        dx = BatchBuffers.reuse(dx, y.rows(), channels, height, width);
        dx.fill(0f);
        for (int o = 0; o < y.size(); o++) dx.data[dx.offset + argmax[o]] += dy.data[dy.offset + o];
        return dx;
    }

    @Override
    public String kind() { return "maxpool"; }
}
