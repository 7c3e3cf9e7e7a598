package dev.nnlab.nn.layers;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/**
 * An activation applied element by element to {@code (N, ...)}, whose derivative can be written in
 * terms of its output y (true of ReLU, LeakyReLU, ELU, sigmoid and tanh). So forward keeps only y,
 * backward reads it, and a subclass states just the function and its derivative.
 *
 * <p>From {@value #PARALLEL_MIN_VALUES} values a pass is split into one contiguous range per kernel thread: on W3
 * the two ReLUs after the convolutions are 1.6 M and 0.8 M values a batch, a pass the other core otherwise sat
 * out. The cuts fall on multiples of {@value #CUT_ALIGN} floats, so every value goes through the same vector or
 * scalar code as in one pass and the output is the same bits; {@link #apply} and {@link #derivative} must
 * therefore keep no state between calls.
 *
 * <p>Stability: stable for plugin authors.
 */
public abstract class PointwiseActivation implements Activation {
    private int[] shape;
    private int features;
    private Tensor y, dx;
    /** Set by {@link MaxPool2d#takeGradientOf}: backward returns dy as it is, the pool having applied f' already. */
    boolean gradientPassesThrough;
    /** Set by {@link BatchNorm#absorbRelu} and {@link Residual#absorbRelu}: forward hands on its input, f already applied. */
    private boolean forwardPassesThrough;

    /** Forward returns its input, backward its gradient: the layer before computes f and f' (see {@link BatchNorm#absorbRelu}). */
    final void passesThrough() {
        forwardPassesThrough = true;
        gradientPassesThrough = true;
    }

    /**
     * Forward returns its input, the layer before having applied f to its output ({@link Residual#absorbRelu});
     * backward still applies f', reading that output (which is then also this layer's).
     */
    final void passesForwardThrough() {
        forwardPassesThrough = true;
    }

    /** {@code y[i] = f(x[i])} for i in [0, n). */
    protected abstract void apply(int n, float[] x, int xOff, float[] y, int yOff);

    /** {@code dx[i] = dy[i] * f'(x[i])}, with f' expressed through {@code y[i] = f(x[i])}. */
    protected abstract void derivative(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff);

    @Override
    public final int[] build(String name, int[] inputShape, Parameters.Builder params) {
        shape = inputShape.clone();
        features = Tensor.sizeOf(inputShape);
        return inputShape.clone();
    }

    /** Below this many values a pass stays on the caller's thread: waking a worker costs more. */
    static final int PARALLEL_MIN_VALUES = ElementRanges.PARALLEL_MIN_VALUES;
    /** Ranges start at multiples of this many floats: a whole number of vectors at every SIMD width. */
    static final int CUT_ALIGN = ElementRanges.CUT_ALIGN;

    @Override
    public final Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, features, kind());
        if (forwardPassesThrough) {
            y = x;
            return y;
        }
        y = BatchBuffers.reuse(y, n, shape);
        int total = n * features;
        ElementRanges.run(total, (from, to) -> apply(to - from, x.data, x.offset + from, y.data, y.offset + from));
        return y;
    }

    @Override
    public final Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, kind());
        if (gradientPassesThrough) return dy;
        dx = BatchBuffers.reuse(dx, y.rows(), shape);
        ElementRanges.run(y.size(), (from, to) ->
                derivative(to - from, y.data, y.offset + from, dy.data, dy.offset + from, dx.data, dx.offset + from));
        return dx;
    }
}
