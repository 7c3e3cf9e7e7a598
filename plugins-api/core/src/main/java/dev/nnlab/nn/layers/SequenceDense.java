package dev.nnlab.nn.layers;

import dev.nnlab.kernels.Sgemm;
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
 * <p>The bias rides in the GEMMs: the weight and the bias sit one after the other in the parameter
 * array, so they are one {@code (in + 1, out)} matrix, and with a column of ones appended to the input
 * ({@code [x | 1]}, kept for the backward pass) the forward product adds the bias as its last term and
 * the weight-gradient product {@code [x | 1]^T dy} sums dy's rows into the bias gradient as its last
 * row. In W5 that spares two passes over the 400 x 10,000 logits (1.8% of the step). The forward
 * gives the same bits as a product followed by a bias add (the last fused multiply-add of a 1 is an add).
 *
 * <p>{@link OverwritesGradients}: a training loop that runs exactly one backward pass per
 * step can skip zeroing this layer's gradient: the weight-gradient product then writes it
 * (BLAS beta = 0) instead of reading the zeros back and adding.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class SequenceDense implements Layer, OverwritesGradients {
    private final int out;
    private final Initializer init;
    private String name;
    private int steps, in;
    private Tensor weight, weightGrad, bias, biasGrad, x, y, dx;
    private final RowMajorProducts products = new RowMajorProducts();
    /** {@code [x | 1]}, (rows, in + 1), when the last forward folded the bias in; else unused. */
    private float[] xOnes = new float[0];
    private boolean folded, overwrite;

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

    @Override public void overwriteGradients(boolean on) { overwrite = on; }

    @Override public java.util.List<String> parameterNames() { return java.util.List.of(name + ".weight", name + ".bias"); }

    /**
     * Whether the bias can ride in the products: stored right after the weight, and [x | 1] small enough
     * for {@link WideGemm} (the weight-gradient product). The forward product then runs where
     * {@link RowMajorProducts#ab} would send the unfolded one: on AVX-512 the GEMM reads a decoder's rows
     * of A in place, and excluding that case left W5's two passes over the logits (bias add, bias
     * gradient) serial on the main thread, 2.5% of the step there.
     */
    private boolean foldsBias(int rows) {
        return bias.data == weight.data && bias.offset == weight.offset + in * out && WideGemm.serves(rows, in + 1);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, steps * in, name), rows = n * steps;
        y = BatchBuffers.reuse(y, n, steps, out);
        folded = foldsBias(rows);
        if (folded) {
            int k = in + 1;
            if (xOnes.length < rows * k) xOnes = new float[rows * k];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x.data, x.offset + r * in, xOnes, r * k, in);
                xOnes[r * k + in] = 1f;
            }
            // The bias is row `in` of the (in + 1, out) matrix [W; b].
            if (Sgemm.readsRowMajorAInPlace(out)) {
                Sgemm.gemm(false, false, rows, out, k, 1f, xOnes, 0, k, weight.data, weight.offset, out, 0f, y.data, y.offset, out);
            } else {
                WideGemm.gemm(false, rows, out, k, xOnes, 0, k, weight.data, weight.offset, out, false, y.data, y.offset, out);
            }
        } else {
            products.ab(rows, out, in, x.data, x.offset, in, weight.data, weight.offset, out, 0f, y.data, y.offset, out);
            VectorOps.addRowVector(rows, out, bias.data, bias.offset, y.data, y.offset);
        }
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
        if (folded && biasGrad.data == weightGrad.data && biasGrad.offset == weightGrad.offset + in * out) {
            // [dW; db] (+)= [x | 1]^T dy: the last row sums dy's rows in row order, as a separate sum would.
            WideGemm.gemm(true, in + 1, out, rows, xOnes, 0, in + 1, dy.data, dy.offset, out, !overwrite,
                    weightGrad.data, weightGrad.offset, out);
        } else {
            if (overwrite) {
                java.util.Arrays.fill(weightGrad.data, weightGrad.offset, weightGrad.offset + in * out, 0f);
                java.util.Arrays.fill(biasGrad.data, biasGrad.offset, biasGrad.offset + out, 0f);
            }
            WideGemm.gemm(true, in, out, rows, x.data, x.offset, in, dy.data, dy.offset, out, true, weightGrad.data, weightGrad.offset, out);
            VectorOps.sumRows(rows, out, dy.data, dy.offset, biasGrad.data, biasGrad.offset);
        }
        return dx;
    }

    @Override
    public String kind() { return "sequence_dense"; }
}
