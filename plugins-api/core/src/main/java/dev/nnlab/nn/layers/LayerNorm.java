package dev.nnlab.nn.layers;

import dev.nnlab.nn.Range;
import dev.nnlab.kernels.VectorOps;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/**
 * Layer normalisation (Ba et al. 2016): each sample of {@code (N, D...)} is normalised over all
 * of its D values, {@code y = gamma (x - mean) / sqrt(var + eps) + beta}, with gamma and beta of
 * the per-sample shape. Same computation in training and evaluation (no batch statistics).
 *
 * <p>Parameters: {@code <name>.gamma} (init 1), {@code <name>.beta} (init 0). Forward keeps xhat
 * and 1/std per sample (llm.c's layernorm keeps mean and rstd); backward, with {@code g = gamma dy},
 * is {@code dx = rstd / D (D g - sum g - xhat sum(g xhat))}.
 */
public final class LayerNorm implements Layer {
    /** Added to the variance under the root; 0 would divide by 0 on a constant row. */
    public static final Range EPS = Range.above(0);
    private final float eps;
    private String name;
    private int[] shape;
    private int features;
    private Tensor gamma, beta, gammaGrad, betaGrad;
    private float[] rstd = new float[0];
    private Tensor xhat, y, dx;

    /** eps 1e-5, as PyTorch. */
    public LayerNorm() {
        this(1e-5f);
    }

    public LayerNorm(float eps) {
        EPS.require("layer norm", "eps", eps);
        this.eps = eps;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        shape = inputShape.clone();
        features = Tensor.sizeOf(inputShape);
        if (features == 0) throw new IllegalArgumentException(name + ": layer norm needs at least one feature");
        params.add(name + ".gamma", inputShape);
        params.add(name + ".beta", inputShape);
        return inputShape.clone();
    }

    @Override
    public void bind(Parameters params) {
        gamma = params.value(name + ".gamma");
        gammaGrad = params.grad(name + ".gamma");
        beta = params.value(name + ".beta");
        betaGrad = params.grad(name + ".beta");
    }

    @Override
    public void initialize(Rng rng) {
        gamma.fill(1f);
        beta.fill(0f);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, features, name);
        y = BatchBuffers.reuse(y, n, shape);
        xhat = BatchBuffers.reuse(xhat, n, shape);
        if (rstd.length != n) rstd = new float[n];
        float[] xs = x.data, xh = xhat.data, ys = y.data, g = gamma.data, b = beta.data;
        for (int r = 0; r < n; r++) {
            int xo = x.offset + r * features, o = r * features;
            double mean = VectorOps.sum(features, xs, xo) / (double) features;
            double ss = 0;
            for (int i = 0; i < features; i++) {
                double d = xs[xo + i] - mean;
                ss += d * d;
            }
            float inv = (float) (1.0 / Math.sqrt(ss / features + eps));
            rstd[r] = inv;
            float m = (float) mean;
            for (int i = 0; i < features; i++) {
                float h = (xs[xo + i] - m) * inv;
                xh[o + i] = h;
                ys[y.offset + o + i] = g[gamma.offset + i] * h + b[beta.offset + i];
            }
        }
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, xhat, name);
        int n = xhat.rows();
        dx = BatchBuffers.reuse(dx, n, shape);
        float[] dys = dy.data, xh = xhat.data, d = dx.data, g = gamma.data, gg = gammaGrad.data;
        for (int r = 0; r < n; r++) {
            int go = dy.offset + r * features, o = r * features;
            double sumG = 0, sumGX = 0;
            for (int i = 0; i < features; i++) {
                float gv = dys[go + i] * g[gamma.offset + i];
                sumG += gv;
                sumGX += (double) gv * xh[o + i];
                gg[gammaGrad.offset + i] += dys[go + i] * xh[o + i];
            }
            float k1 = rstd[r] / features, sg = (float) sumG, sgx = (float) sumGX;
            for (int i = 0; i < features; i++) {
                float gv = dys[go + i] * g[gamma.offset + i];
                d[o + i] = k1 * (features * gv - sg - xh[o + i] * sgx);
            }
        }
        VectorOps.sumRows(n, features, dys, dy.offset, betaGrad.data, betaGrad.offset);
        return dx;
    }

    @Override
    public String kind() { return "layernorm"; }
}
