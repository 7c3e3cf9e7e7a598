package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/**
 * Average pooling: input {@code (N, C, H, W)}, output {@code (N, C, OH, OW)}, each output the mean
 * of its K x K window. Padded cells count as zeros in the mean (PyTorch's default
 * {@code count_include_pad}), so every output divides by K*K. No parameters.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class AvgPool2d extends Pool2d implements Layer {
    private Tensor y, dx;

    /** A K x K window moved K at a time. */
    public AvgPool2d(int kernel) {
        this(new WindowGeometry(kernel, kernel, 0));
    }

    public AvgPool2d(WindowGeometry geometry) {
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
        int k = geometry.kernel(), stride = geometry.stride(), pad = geometry.padding();
        float inv = 1f / (k * k);
        int o = 0;
        for (int plane = 0; plane < n * channels; plane++) {
            int base = x.offset + plane * height * width;
            for (int oh = 0; oh < outHeight; oh++) {
                for (int ow = 0; ow < outWidth; ow++, o++) {
                    float sum = 0;
                    for (int i = 0; i < k; i++) {
                        int h = oh * stride - pad + i;
                        if (h < 0 || h >= height) continue;
                        for (int j = 0; j < k; j++) {
                            int w = ow * stride - pad + j;
                            if (w >= 0 && w < width) sum += x.data[base + h * width + w];
                        }
                    }
                    y.data[y.offset + o] = sum * inv;
                }
            }
        }
        return y;
    }

    /** {@code dy (N, C, OH, OW)} -> {@code dx (N, C, H, W)}: each output's gradient spread evenly over its window. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        int n = y.rows();
        dx = BatchBuffers.reuse(dx, n, channels, height, width);
        dx.fill(0f);
        int k = geometry.kernel(), stride = geometry.stride(), pad = geometry.padding();
        float inv = 1f / (k * k);
        int o = 0;
        for (int plane = 0; plane < n * channels; plane++) {
            int base = dx.offset + plane * height * width;
            for (int oh = 0; oh < outHeight; oh++) {
                for (int ow = 0; ow < outWidth; ow++, o++) {
                    float g = dy.data[dy.offset + o] * inv;
                    for (int i = 0; i < k; i++) {
                        int h = oh * stride - pad + i;
                        if (h < 0 || h >= height) continue;
                        for (int j = 0; j < k; j++) {
                            int w = ow * stride - pad + j;
                            if (w >= 0 && w < width) dx.data[base + h * width + w] += g;
                        }
                    }
                }
            }
        }
        return dx;
    }

    @Override
    public String kind() { return "avgpool"; }
}
