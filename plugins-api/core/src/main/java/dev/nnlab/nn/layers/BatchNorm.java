package dev.nnlab.nn.layers;

import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

import java.util.Arrays;

/**
 * Batch normalisation (Ioffe and Szegedy 2015). The input {@code (N, C, ...)} is read as
 * {@code (N, C, S)}: {@code (N, F)} is normalised per feature over the batch, {@code (N, C, H, W)}
 * per channel over N, H and W. {@code y = gamma_c (x - mean_c) / sqrt(var_c + eps) + beta_c}.
 *
 * <p>Training uses the batch statistics (biased variance) and updates the running estimates
 * PyTorch's way: {@code running = (1 - momentum) running + momentum batch}, with the unbiased
 * variance {@code var * M / (M - 1)}, M = N * S. Evaluation uses the running estimates.
 *
 * <p>A single value per channel (a batch of one sample on {@code (N, F)} input) is trained, not refused
 * (PyTorch refuses it): every value is its own mean, so the output is {@code beta}, {@code x} gets no
 * gradient, and the running variance is left alone. Refusing would fail a run whose last batch of an
 * epoch happens to hold one sample, or any run with {@code batchSize = 1}, values the schema allows.
 *
 * <p>Parameters: {@code <name>.gamma} (init 1), {@code <name>.beta} (init 0), and the
 * non-trainable {@code <name>.running_mean} (init 0) and {@code <name>.running_var} (init 1),
 * which live in {@link Parameters} so a checkpoint carries them.
 *
 * <p>Forward keeps xhat and 1/std per channel (as llm.c's layernorm keeps mean and rstd); backward
 * is the compact form {@code dx = gamma rstd / M (M dy - sum dy - xhat sum(dy xhat))}.
 */
public final class BatchNorm implements Layer {
    /** Added to the variance under the root; 0 would divide by 0 on a constant channel. */
    public static final Range EPS = Range.above(0);
    /** The running statistics' update weight, PyTorch's convention: 0 freezes them, 1 keeps only the last batch. */
    public static final Range MOMENTUM = Range.closed(0, 1);
    private final float eps;
    private final float momentum;
    private String name;
    private int[] shape;
    private int channels, spatial;
    private Tensor gamma, beta, gammaGrad, betaGrad, runningMean, runningVar;
    private double[] sum, sumSq;
    private float[] rstd, evalScale, evalShift;
    private Tensor xhat, y, dx;

    /** eps 1e-5 and momentum 0.1, PyTorch's defaults. */
    public BatchNorm() {
        this(1e-5f, 0.1f);
    }

    public BatchNorm(float eps, float momentum) {
        EPS.require("batch norm", "eps", eps);
        MOMENTUM.require("batch norm", "momentum", momentum);
        this.eps = eps;
        this.momentum = momentum;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        if (inputShape.length == 0) throw new IllegalArgumentException(name + ": batch norm needs (N, C, ...) input");
        this.name = name;
        shape = inputShape.clone();
        channels = inputShape[0];
        spatial = channels == 0 ? 0 : Tensor.sizeOf(inputShape) / channels;
        params.add(name + ".gamma", channels);
        params.add(name + ".beta", channels);
        params.add(name + ".running_mean", false, channels);
        params.add(name + ".running_var", false, channels);
        sum = new double[channels];
        sumSq = new double[channels];
        rstd = new float[channels];
        evalScale = new float[channels];
        evalShift = new float[channels];
        return inputShape.clone();
    }

    @Override
    public void bind(Parameters params) {
        gamma = params.value(name + ".gamma");
        gammaGrad = params.grad(name + ".gamma");
        beta = params.value(name + ".beta");
        betaGrad = params.grad(name + ".beta");
        runningMean = params.value(name + ".running_mean");
        runningVar = params.value(name + ".running_var");
    }

    @Override
    public void initialize(Rng rng) {
        gamma.fill(1f);
        beta.fill(0f);
        runningMean.fill(0f);
        runningVar.fill(1f);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, channels * spatial, name);
        y = BatchBuffers.reuse(y, n, shape);
        if (training) {
            forwardTraining(x, n);
        } else {
            forwardEval(x, n);
        }
        return y;
    }

    private void forwardTraining(Tensor x, int n) {
        int m = n * spatial;
        xhat = BatchBuffers.reuse(xhat, n, shape);
        float[] xs = x.data;
        Arrays.fill(sum, 0);
        Arrays.fill(sumSq, 0);
        for (int r = 0, i = x.offset; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                double s = 0;
                for (int k = 0; k < spatial; k++) s += xs[i++];
                sum[c] += s;
            }
        }
        for (int c = 0; c < channels; c++) sum[c] /= m;
        // Two passes: sum of squared deviations, not E[x^2] - E[x]^2, which cancels badly for large means.
        for (int r = 0, i = x.offset; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                double mean = sum[c], s = 0;
                for (int k = 0; k < spatial; k++) {
                    double d = xs[i++] - mean;
                    s += d * d;
                }
                sumSq[c] += s;
            }
        }
        float[] rm = runningMean.data, rv = runningVar.data;
        for (int c = 0; c < channels; c++) {
            double var = sumSq[c] / m;
            rstd[c] = (float) (1.0 / Math.sqrt(var + eps));
            rm[runningMean.offset + c] = (float) ((1 - momentum) * rm[runningMean.offset + c] + momentum * sum[c]);
            // The unbiased variance needs two values; a batch of one (batchSize 1, or the last batch of an
            // epoch holding one sample) leaves the running variance as it was.
            if (m > 1) rv[runningVar.offset + c] = (float) ((1 - momentum) * rv[runningVar.offset + c] + momentum * sumSq[c] / (m - 1));
        }
        float[] xh = xhat.data, ys = y.data, g = gamma.data, b = beta.data;
        for (int r = 0, i = 0; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                float mean = (float) sum[c], inv = rstd[c], gc = g[gamma.offset + c], bc = b[beta.offset + c];
                for (int k = 0; k < spatial; k++, i++) {
                    float h = (xs[x.offset + i] - mean) * inv;
                    xh[i] = h;
                    ys[y.offset + i] = gc * h + bc;
                }
            }
        }
    }

    private void forwardEval(Tensor x, int n) {
        float[] xs = x.data, ys = y.data, g = gamma.data, b = beta.data, rm = runningMean.data, rv = runningVar.data;
        for (int c = 0; c < channels; c++) {
            // Fold normalisation and affine into one multiply-add per value.
            double s = g[gamma.offset + c] / Math.sqrt(rv[runningVar.offset + c] + eps);
            evalScale[c] = (float) s;
            evalShift[c] = (float) (b[beta.offset + c] - rm[runningMean.offset + c] * s);
        }
        for (int r = 0, i = 0; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                float s = evalScale[c], shift = evalShift[c];
                for (int k = 0; k < spatial; k++, i++) ys[y.offset + i] = xs[x.offset + i] * s + shift;
            }
        }
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (xhat == null) throw new IllegalStateException(name + ": backward needs a training-mode forward first");
        BatchBuffers.sameSize(dy, xhat, name);
        int n = xhat.rows(), m = n * spatial;
        dx = BatchBuffers.reuse(dx, n, shape);
        float[] g = dy.data, xh = xhat.data, d = dx.data;
        Arrays.fill(sum, 0);
        Arrays.fill(sumSq, 0);
        for (int r = 0, i = 0; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                double s = 0, sx = 0;
                for (int k = 0; k < spatial; k++, i++) {
                    float gv = g[dy.offset + i];
                    s += gv;
                    sx += (double) gv * xh[i];
                }
                sum[c] += s;
                sumSq[c] += sx;
            }
        }
        for (int c = 0; c < channels; c++) {
            betaGrad.data[betaGrad.offset + c] += (float) sum[c];
            gammaGrad.data[gammaGrad.offset + c] += (float) sumSq[c];
        }
        for (int r = 0, i = 0; r < n; r++) {
            for (int c = 0; c < channels; c++) {
                float k1 = gamma.data[gamma.offset + c] * rstd[c] / m;
                float sumDy = (float) sum[c], sumDyXhat = (float) sumSq[c];
                for (int k = 0; k < spatial; k++, i++) {
                    d[i] = k1 * (m * g[dy.offset + i] - sumDy - xh[i] * sumDyXhat);
                }
            }
        }
        return dx;
    }

    @Override
    public String kind() { return "batchnorm"; }
}
