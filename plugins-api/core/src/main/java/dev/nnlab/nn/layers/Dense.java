package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Sgemm;
import dev.nnlab.kernels.SmallGemm;
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
 * <p>The three products are {@code Y = X W}, {@code dX = dY W^T} and {@code dW += X^T dY}. A batch of
 * up to {@value #SMALL_BATCH} rows runs them on {@link SmallGemm}'s unpacked kernels, the bias added as
 * Y is stored; with fewer outputs than {@value #SKINNY_VECTORS} vectors (a classifier's 10 classes)
 * Y is computed as dot products against W transposed, and dW as its transpose {@code dY^T X}, so
 * that the vector lanes run along the long side. Larger batches go through {@link Sgemm}.
 * {@link #backwardParametersOnly} skips dX, which nothing reads when this is a network's first layer.
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
    /** W transposed, and dW's transpose, for the skinny small-batch path; sized on first use. */
    private float[] weightT = new float[0], gradT = new float[0];

    /** Batches of at most this many rows use {@link SmallGemm}; its unpacked kernels lose to packing beyond. */
    static final int SMALL_BATCH = 256;
    /** Fewer outputs than this many vectors take the dot-product (transposed) path. */
    static final int SKINNY_VECTORS = 3;

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
        this.x = x;
        float[] b = hasBias ? bias.data : null;
        int bOff = hasBias ? bias.offset : 0;
        if (n > SMALL_BATCH) {
            Sgemm.gemm(false, false, n, out, in, 1f, x.data, x.offset, in,
                    weight.data, weight.offset, out, 0f, y.data, y.offset, out);
            if (hasBias) VectorOps.addRowVector(n, out, bias.data, bias.offset, y.data, y.offset);
        } else if (skinny()) {
            SmallGemm.transpose(in, out, weight.data, weight.offset, out, transposedWeights(), 0, in);
            SmallGemm.dots(n, out, in, x.data, x.offset, in, weightT, 0, in, false, b, bOff, y.data, y.offset, out);
        } else {
            SmallGemm.panel(n, out, in, x.data, x.offset, in, 1, weight.data, weight.offset, out, false, b, bOff,
                    y.data, y.offset, out);
        }
        return y;
    }

    /** {@code dy (N, out)} -> {@code dx (N, in...)}; adds {@code x^T dy} to dW and the column sums of dy to db. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        int n = x.rows();
        dx = BatchBuffers.reuse(dx, n, inputShape);
        if (n > SMALL_BATCH) {
            Sgemm.gemm(false, true, n, in, out, 1f, dy.data, dy.offset, out,
                    weight.data, weight.offset, out, 0f, dx.data, dx.offset, in);
        } else if (skinny() || !narrowInput()) {
            // dX = dY W^T through W^T laid out by rows: the long side (in) along the lanes. Dot products along
            // out instead end each of the n x in outputs in a sum across lanes, which cost W3's fc128 (out 128:
            // 8 vectors of 16 lanes per dot) about as much as the products.
            SmallGemm.transpose(in, out, weight.data, weight.offset, out, transposedWeights(), 0, in);
            SmallGemm.panel(n, in, out, dy.data, dy.offset, out, 1, weightT, 0, in, false, null, 0, dx.data, dx.offset, in);
        } else {
            SmallGemm.dots(n, in, out, dy.data, dy.offset, out, weight.data, weight.offset, out, false, null, 0,
                    dx.data, dx.offset, in);
        }
        parameterGradients(dy, n);
        return dx;
    }

    /** As {@link #backward} without dX: the weight and bias gradients only. */
    @Override
    public void backwardParametersOnly(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        parameterGradients(dy, x.rows());
    }

    private void parameterGradients(Tensor dy, int n) {
        if (n > SMALL_BATCH) {
            Sgemm.gemm(true, false, in, out, n, 1f, x.data, x.offset, in,
                    dy.data, dy.offset, out, 1f, weightGrad.data, weightGrad.offset, out);
        } else if (skinny()) {
            // dW^T = dY^T X has the long side (in) along the vector lanes; added into dW transposed back.
            if (gradT.length != in * out) gradT = new float[in * out];
            SmallGemm.panel(out, in, n, dy.data, dy.offset, 1, out, x.data, x.offset, in, false, null, 0, gradT, 0, in);
            SmallGemm.addTransposed(in, out, gradT, 0, in, weightGrad.data, weightGrad.offset);
        } else {
            SmallGemm.panel(in, out, n, x.data, x.offset, 1, in, dy.data, dy.offset, out, true, null, 0,
                    weightGrad.data, weightGrad.offset, out);
        }
        if (hasBias) VectorOps.sumRows(n, out, dy.data, dy.offset, biasGrad.data, biasGrad.offset);
    }

    private boolean skinny() { return out < SKINNY_VECTORS * SmallGemm.lanes(); }

    /** Fewer inputs than {@link #SKINNY_VECTORS} vectors: dX's rows are too short for the panel's tiles. */
    private boolean narrowInput() { return in < SKINNY_VECTORS * SmallGemm.lanes(); }

    private float[] transposedWeights() {
        if (weightT.length != in * out) weightT = new float[in * out];
        return weightT;
    }

    @Override
    public String kind() { return "dense"; }
}
