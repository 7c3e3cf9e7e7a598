package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Global average pooling (Lin et al. 2013, the ResNet head): input {@code (N, C, H, W)}, output
 * {@code (N, C)}, each channel's mean over all its pixels. No parameters.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class GlobalAvgPool implements Layer {
    private String name;
    private int[] inputShape;
    private int channels, pixels;
    private Tensor y, dx;

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        if (inputShape.length != 3) {
            throw new WindowGeometry.ShapeException(name + ": global average pooling needs (C, H, W) samples, got "
                    + Arrays.toString(inputShape));
        }
        this.name = name;
        this.inputShape = inputShape.clone();
        channels = inputShape[0];
        pixels = inputShape[1] * inputShape[2];
        return new int[] {channels};
    }

    /** {@code (N, C, H, W)} -> {@code (N, C)}. */
    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, channels * pixels, name);
        y = BatchBuffers.reuse(y, n, channels);
        for (int plane = 0; plane < n * channels; plane++) {
            double sum = 0;
            int base = x.offset + plane * pixels;
            for (int p = 0; p < pixels; p++) sum += x.data[base + p];
            y.data[y.offset + plane] = (float) (sum / pixels);
        }
        return y;
    }

    /** {@code dy (N, C)} -> {@code dx (N, C, H, W)}, each pixel getting {@code dy / (H W)}. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        dx = BatchBuffers.reuse(dx, y.rows(), inputShape);
        for (int plane = 0; plane < y.size(); plane++) {
            int base = dx.offset + plane * pixels;
            Arrays.fill(dx.data, base, base + pixels, dy.data[dy.offset + plane] / pixels);
        }
        return dx;
    }

    @Override
    public String kind() { return "gap"; }
}
