package dev.nnlab.nn.layers;

import dev.nnlab.kernels.WideGemm;
import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.nn.init.Xavier;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * The same fully connected layer at every step of a sequence: {@code (N, T, in)} -> {@code (N, T, out)},
 * {@code y_t = x_t W + b}, computed as one {@code (N*T, in) x (in, out)} GEMM (a language model's
 * decoder to vocabulary logits). {@link Dense} would flatten {@code (T, in)} into one input.
 * Parameters: {@code <name>.weight (in, out)}, {@code <name>.bias (out)}.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class SequenceDense implements Layer {
    private final int out;
    private final Initializer init;
    private String name;
    private int steps, in;
    private Tensor weight, weightGrad, bias, biasGrad, x, y, dx;
    private final RowMajorProducts products = new RowMajorProducts();

    /** Xavier-uniform weights, zero bias. */
    public SequenceDense(int out) { this(out, new Xavier(true)); }

    public SequenceDense(int out, Initializer init) {
        if (out <= 0) throw new IllegalArgumentException("sequence dense needs at least one output unit, got " + out);
        this.out = out;
        this.init = init;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        if (inputShape.length != 2 || inputShape[0] < 1 || inputShape[1] < 1) {
            throw new IllegalArgumentException(name + ": takes (T, in) per sample, got " + Arrays.toString(inputShape));
        }
        steps = inputShape[0];
        in = inputShape[1];
        params.add(name + ".weight", in, out);
        params.add(name + ".bias", out);
        return new int[] {steps, out};
    }

    @Override
    public void bind(Parameters p) {
        weight = p.value(name + ".weight");
        weightGrad = p.grad(name + ".weight");
        bias = p.value(name + ".bias");
        biasGrad = p.grad(name + ".bias");
    }

    @Override
    public void initialize(Rng rng) {
        init.fill(weight, in, out, rng);
        bias.fill(0f);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, steps * in, name), rows = n * steps;
        y = BatchBuffers.reuse(y, n, steps, out);
        products.ab(rows, out, in, x.data, x.offset, in, weight.data, weight.offset, out, 0f, y.data, y.offset, out);
        VectorOps.addRowVector(rows, out, bias.data, bias.offset, y.data, y.offset);
        this.x = x;
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        int n = y.rows(), rows = n * steps;
        dx = BatchBuffers.reuse(dx, n, steps, in);
        // dx = dy W^T: dy read in place, W transposed while packed (see RowMajorProducts).
        products.abT(rows, in, out, dy.data, dy.offset, out, weight.data, weight.offset, out, 0f, dx.data, dx.offset, in);
        WideGemm.gemm(true, in, out, rows, x.data, x.offset, in, dy.data, dy.offset, out, true, weightGrad.data, weightGrad.offset, out);
        VectorOps.sumRows(rows, out, dy.data, dy.offset, biasGrad.data, biasGrad.offset);
        return dx;
    }

    @Override
    public String kind() { return "sequence_dense"; }
}
