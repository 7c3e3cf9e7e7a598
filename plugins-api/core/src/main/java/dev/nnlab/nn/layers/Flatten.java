package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/**
 * Flattens {@code (N, C, H, W)} (or any {@code (N, ...)}) to {@code (N, C*H*W)}, keeping the
 * row-major order. Dense already reads trailing dimensions as one; Flatten makes the boundary
 * between the convolutional and the fully connected part visible in a layer list and its shapes.
 * Copies into its own buffers, as the {@link Layer} contract asks of every output.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Flatten implements Layer {
    private String name;
    private int[] inputShape;
    private int features;
    private Tensor y, dx;

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        this.inputShape = inputShape.clone();
        features = Tensor.sizeOf(inputShape);
        return new int[] {features};
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, features, name);
        y = BatchBuffers.reuse(y, n, features);
        System.arraycopy(x.data, x.offset, y.data, y.offset, n * features);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        dx = BatchBuffers.reuse(dx, y.rows(), inputShape);
        System.arraycopy(dy.data, dy.offset, dx.data, dx.offset, dx.size());
        return dx;
    }

    @Override
    public String kind() { return "flatten"; }
}
