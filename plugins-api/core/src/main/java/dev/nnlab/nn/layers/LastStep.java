package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * The last step of a sequence, {@code (N, T, C)} -> {@code (N, C)}: what a many-to-one recurrent
 * model (the adding problem, sequence classification) reads its answer from. Backward puts
 * {@code dy} at step T-1 and zeros everywhere else, so every other step learns only through time.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class LastStep implements Layer {
    private String name;
    private int steps, channels;
    private Tensor y, dx;

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        if (inputShape.length != 2 || inputShape[0] < 1 || inputShape[1] < 1) {
            throw new IllegalArgumentException(name + ": takes (T, C) per sample, got " + Arrays.toString(inputShape));
        }
        steps = inputShape[0];
        channels = inputShape[1];
        return new int[] {channels};
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, steps * channels, name);
        y = BatchBuffers.reuse(y, n, channels);
        for (int s = 0; s < n; s++) System.arraycopy(x.data, x.offset + (s * steps + steps - 1) * channels, y.data, y.offset + s * channels, channels);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        int n = y.rows();
        dx = BatchBuffers.reuse(dx, n, steps, channels);
        dx.fill(0f);
        for (int s = 0; s < n; s++) System.arraycopy(dy.data, dy.offset + s * channels, dx.data, dx.offset + (s * steps + steps - 1) * channels, channels);
        return dx;
    }

    @Override
    public String kind() { return "last_step"; }
}
