package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Sgemm;
import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.init.He;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/**
 * Fully connected layer {@code y = x W + b}. Input {@code (N, in...)} is read as {@code (N, in)}
 * (trailing dimensions flattened, no copy), W is {@code (in, out)}, b is {@code (out)}, output is
 * {@code (N, out)}. Parameters: {@code <name>.weight}, {@code <name>.bias}.
 *
 * <p>Default weight initialisation is He normal: ReLU is the default hidden activation in nnlab
 * and He keeps the activation variance constant through it, where Xavier would shrink it by half
 * per layer. Tanh/sigmoid networks should pass {@code new Xavier(false)}. Biases start at zero.
 *
 * <p>All three products go through {@link Sgemm}: {@code Y = X W}, {@code dX = dY W^T} and
 * {@code dW += X^T dY} (beta = 1 accumulates).
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Dense implements Layer {
    private final int out;
    private final Initializer weightInit;
    private final boolean hasBias;
    private String name;
    private int[] inputShape;
    private int in;
    private Tensor weight, weightGrad, bias, biasGrad;
    private Tensor x;
    private Tensor y, dx;

    /** {@code out} units, He-normal weights, zero bias. */
    public Dense(int out) {
        this(out, new He(), true);
    }

    public Dense(int out, Initializer weightInit, boolean bias) {
        if (out <= 0) throw new IllegalArgumentException("dense needs at least one output unit, got " + out);
        this.out = out;
        this.weightInit = weightInit;
        this.hasBias = bias;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        this.inputShape = inputShape.clone();
        this.in = Tensor.sizeOf(inputShape);
        if (in == 0) throw new IllegalArgumentException(name + ": empty input shape");
        params.add(name + ".weight", in, out);
        if (hasBias) params.add(name + ".bias", out);
        return new int[] {out};
    }

    @Override
    public void bind(Parameters params) {
        weight = params.value(name + ".weight");
        weightGrad = params.grad(name + ".weight");
        if (hasBias) {
            bias = params.value(name + ".bias");
            biasGrad = params.grad(name + ".bias");
        }
    }

    @Override
    public void initialize(Rng rng) {
        weightInit.fill(weight, in, out, rng);
        if (hasBias) bias.fill(0f);
    }

    /** {@code x (N, in...)} -> {@code (N, out)}. Keeps a reference to x for the weight gradient. */
    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, in, name);
        y = BatchBuffers.reuse(y, n, out);
        Sgemm.gemm(false, false, n, out, in, 1f, x.data, x.offset, in,
                weight.data, weight.offset, out, 0f, y.data, y.offset, out);
        if (hasBias) VectorOps.addRowVector(n, out, bias.data, bias.offset, y.data, y.offset);
        this.x = x;
        return y;
    }

    /** {@code dy (N, out)} -> {@code dx (N, in...)}; adds {@code x^T dy} to dW and the column sums of dy to db. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        int n = x.rows();
        dx = BatchBuffers.reuse(dx, n, inputShape);
        Sgemm.gemm(false, true, n, in, out, 1f, dy.data, dy.offset, out,
                weight.data, weight.offset, out, 0f, dx.data, dx.offset, in);
        Sgemm.gemm(true, false, in, out, n, 1f, x.data, x.offset, in,
                dy.data, dy.offset, out, 1f, weightGrad.data, weightGrad.offset, out);
        if (hasBias) VectorOps.sumRows(n, out, dy.data, dy.offset, biasGrad.data, biasGrad.offset);
        return dx;
    }

    @Override
    public String kind() { return "dense"; }
}
