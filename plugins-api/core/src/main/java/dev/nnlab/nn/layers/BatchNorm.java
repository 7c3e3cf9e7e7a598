package dev.nnlab.nn.layers;

import dev.nnlab.kernels.ChannelKernels;
import dev.nnlab.kernels.Parallelism;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;


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
 * <p>Parameters: {@code <name>.gamma} (init 1, or 0 with {@link #zeroGamma()}), {@code <name>.beta} (init 0), and the
 * non-trainable {@code <name>.running_mean} (init 0) and {@code <name>.running_var} (init 1),
 * which live in {@link Parameters} so a checkpoint carries them.
 *
 * <p>Forward keeps the mean and 1/std per channel (as llm.c's layernorm keeps mean and rstd) and a
 * reference to its input, not xhat: backward recomputes {@code xhat = (x - mean) / std} as it reads x,
 * which saves writing, holding and reading back one activation-sized buffer per layer. So the layer
 * before must leave its output alone between this layer's training forward and its backward, as every
 * layer does (each writes its own output buffer, on its next forward). Backward is the compact form
 * {@code dx = gamma rstd / M (M dy - sum dy - xhat sum(dy xhat))}. Each pass runs
 * channel by channel over contiguous pixel runs ({@link ChannelKernels}); the sums of a channel run over
 * all its runs at once (an 8x8 plane is 4 vectors: a cross-lane sum and a call per run cost as much as
 * the run), its two gradient sums in one pass. A large input is split into
 * parts of whole channels across the kernel threads, so no two threads ever write the same statistic.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class BatchNorm implements Layer {
    /** Added to the variance under the root; 0 would divide by 0 on a constant channel. */
    public static final Range EPS = Range.above(0);
    /** The running statistics' update weight, PyTorch's convention: 0 freezes them, 1 keeps only the last batch. */
    public static final Range MOMENTUM = Range.closed(0, 1);
    private final float eps;
    private final float momentum;
    private final float initialGamma;
    private String name;
    private int[] shape;
    private int channels, spatial;
    private Tensor gamma, beta, gammaGrad, betaGrad, runningMean, runningVar;
    private float[] mean, rstd, evalScale, evalShift;
    /**
     * The scale {@code gamma rstd} and shift {@code beta} of the last training forward, per channel: with an absorbed
     * ReLU, backward recomputes its mask from the input with them (see {@link ChannelKernels#gradientSumsMasked}).
     */
    private float[] trainScale, trainShift;
    /** The input of the last training forward, which backward reads again for xhat (see the class comment). */
    private Tensor input;
    private Tensor y, dx;
    /** Set by {@link #absorbRelu}: this layer's output is the ReLU's, and its backward applies the ReLU's derivative. */
    private boolean reluAbsorbed;

    /** eps 1e-5 and momentum 0.1, PyTorch's defaults. */
    public BatchNorm() {
        this(1e-5f, 0.1f);
    }

    public BatchNorm(float eps, float momentum) {
        this(eps, momentum, 1f);
    }

    private BatchNorm(float eps, float momentum, float initialGamma) {
        EPS.require("batch norm", "eps", eps);
        MOMENTUM.require("batch norm", "momentum", momentum);
        this.eps = eps;
        this.momentum = momentum;
        this.initialGamma = initialGamma;
    }

    /**
     * PyTorch's defaults with {@code gamma} initialised to 0 instead of 1: the layer starts by outputting
     * {@code beta} = 0. As the last layer of a residual branch it makes the block start as the identity
     * (Goyal et al. 2017, "Accurate, Large Minibatch SGD", section 5.1; torchvision's
     * {@code zero_init_residual}). {@code gamma} still gets its gradient {@code sum(dy xhat)}, so it grows
     * from the first step; the input gets none until it does.
     */
    public static BatchNorm zeroGamma() {
        return new BatchNorm(1e-5f, 0.1f, 0f);
    }

    /**
     * Takes over {@code relu}, the layer right after this one (this layer's output is its input): forward writes
     * {@code max(y, 0)} in the pass that normalises, and the ReLU's forward hands that tensor on; backward reads its
     * gradient through the mask {@code y > 0} in the two passes it makes anyway (recomputed from the input with the
     * forward's scale and shift, the same bits, so y is not read back), and the ReLU's backward hands {@code dy} on. The ReLU's output and every gradient are the same bits as the two layers' (the fused kernels
     * inline the ReLU's own operations), but two full passes over an activation (ResNet's: up to 2 M values a
     * batch) are gone. This layer's own output, as the training monitor sees it, is then the ReLU's.
     */
    public void absorbRelu(ReLU relu) {
        relu.passesThrough();
        reluAbsorbed = true;
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
        mean = new float[channels];
        rstd = new float[channels];
        evalScale = new float[channels];
        evalShift = new float[channels];
        trainScale = new float[channels];
        trainShift = new float[channels];
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
        gamma.fill(initialGamma);
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

    /** Parts of the channels for one pass: a few per kernel thread ({@link Parallelism#balancedTasks}) once there is enough work to share. */
    private int parts(int n) {
        return (long) n * channels * spatial < PARALLEL_MIN_VALUES ? 1 : Parallelism.balancedTasks(channels);
    }

    /** Below this many values a pass stays on the caller's thread: waking a worker costs more. */
    static final int PARALLEL_MIN_VALUES = 1 << 15;

    private static int from(int count, int parts, int t) {
        return (int) ((long) count * t / parts);
    }

    private void forwardTraining(Tensor x, int n) {
        input = x;
        int parts = parts(n);
        // Each part owns whole channels: their statistics, running estimates and outputs.
        Parallelism.forEachTask(parts, t -> trainChannels(x, n, from(channels, parts, t), from(channels, parts, t + 1)));
    }

    private void trainChannels(Tensor x, int n, int c0, int c1) {
        int m = n * spatial, sample = channels * spatial;
        float[] xs = x.data, ys = y.data, rm = runningMean.data, rv = runningVar.data;
        for (int c = c0; c < c1; c++) {
            // Two passes over the channel (its runs in every sample): the mean, then the squared deviations from
            // it, not E[x^2] - E[x]^2, which cancels badly for large means. A channel of a batch is at most a
            // few hundred kB, so the second pass reads it from cache.
            int first = x.offset + c * spatial;
            double mu = ChannelKernels.sum(n, spatial, sample, xs, first) / m;
            double squares = ChannelKernels.sumSquaredDeviations(n, spatial, sample, xs, first, (float) mu);
            mean[c] = (float) mu;
            double var = squares / m;
            rstd[c] = (float) (1.0 / Math.sqrt(var + eps));
            rm[runningMean.offset + c] = (float) ((1 - momentum) * rm[runningMean.offset + c] + momentum * mu);
            // The unbiased variance needs two values; a batch of one (batchSize 1, or the last batch of an
            // epoch holding one sample) leaves the running variance as it was.
            if (m > 1) rv[runningVar.offset + c] = (float) ((1 - momentum) * rv[runningVar.offset + c] + momentum * squares / (m - 1));
            float scale = gamma.data[gamma.offset + c] * rstd[c], bc = beta.data[beta.offset + c];
            trainScale[c] = scale;
            trainShift[c] = bc;
            for (int r = 0; r < n; r++) {
                int i = r * sample + c * spatial;
                if (reluAbsorbed) ChannelKernels.normalizeRelu(spatial, xs, x.offset + i, mean[c], scale, bc, ys, y.offset + i);
                else ChannelKernels.normalize(spatial, xs, x.offset + i, mean[c], scale, bc, ys, y.offset + i);
            }
        }
    }

    private void forwardEval(Tensor x, int n) {
        float[] g = gamma.data, b = beta.data, rm = runningMean.data, rv = runningVar.data;
        for (int c = 0; c < channels; c++) {
            // Fold normalisation and affine into one multiply-add per value.
            double s = g[gamma.offset + c] / Math.sqrt(rv[runningVar.offset + c] + eps);
            evalScale[c] = (float) s;
            evalShift[c] = (float) (b[beta.offset + c] - rm[runningMean.offset + c] * s);
        }
        int parts = parts(n), sample = channels * spatial;
        Parallelism.forEachTask(parts, t -> {
            for (int c = from(channels, parts, t), end = from(channels, parts, t + 1); c < end; c++) {
                for (int r = 0; r < n; r++) {
                    int i = r * sample + c * spatial;
                    if (reluAbsorbed) ChannelKernels.scaleShiftRelu(spatial, x.data, x.offset + i, evalScale[c], evalShift[c], y.data, y.offset + i);
                    else ChannelKernels.scaleShift(spatial, x.data, x.offset + i, evalScale[c], evalShift[c], y.data, y.offset + i);
                }
            }
        });
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (input == null) throw new IllegalStateException(name + ": backward needs a training-mode forward first");
        BatchBuffers.sameSize(dy, input, name);
        int n = input.rows();
        dx = BatchBuffers.reuse(dx, n, shape);
        int parts = parts(n);
        Parallelism.forEachTask(parts, t -> backwardChannels(dy, n, from(channels, parts, t), from(channels, parts, t + 1)));
        return dx;
    }

    private void backwardChannels(Tensor dy, int n, int c0, int c1) {
        int m = n * spatial, sample = channels * spatial;
        float[] g = dy.data, xs = input.data, d = dx.data;
        double[] sums = new double[2];
        for (int c = c0; c < c1; c++) {
            if (reluAbsorbed) ChannelKernels.gradientSumsMasked(n, spatial, sample, g, dy.offset + c * spatial,
                    xs, input.offset + c * spatial, mean[c], trainScale[c], trainShift[c], sums);
            else ChannelKernels.gradientSums(n, spatial, sample, g, dy.offset + c * spatial, xs, input.offset + c * spatial, mean[c], sums);
            double sumDy = sums[0], sumDyCentered = sums[1];
            double sumDyXhat = sumDyCentered * rstd[c];
            betaGrad.data[betaGrad.offset + c] += (float) sumDy;
            gammaGrad.data[gammaGrad.offset + c] += (float) sumDyXhat;
            // dx = gamma rstd / M (M dy - sum dy - xhat sum(dy xhat)), as a dy + b (x - mean) + c per channel.
            float k1 = gamma.data[gamma.offset + c] * rstd[c] / m;
            float a = k1 * m, b = (float) (-k1 * sumDyXhat * rstd[c]), cc = (float) (-k1 * sumDy);
            for (int r = 0; r < n; r++) {
                int i = r * sample + c * spatial;
                if (reluAbsorbed) ChannelKernels.combineMasked(spatial, a, g, dy.offset + i, trainScale[c], trainShift[c], b,
                        xs, input.offset + i, mean[c], cc, d, dx.offset + i);
                else ChannelKernels.combine(spatial, a, g, dy.offset + i, b, xs, input.offset + i, mean[c], cc, d, dx.offset + i);
            }
        }
    }

    @Override
    public String kind() { return "batchnorm"; }
}
