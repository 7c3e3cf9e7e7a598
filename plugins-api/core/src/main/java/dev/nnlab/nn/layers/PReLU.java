package dev.nnlab.nn.layers;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/**
 * Parametric ReLU (He et al. 2015): {@code y = x > 0 ? x : a_c x} with a learned slope per channel,
 * or one slope shared by every unit. The input {@code (N, C, ...)} is read as {@code (N, C, S)}:
 * for {@code (N, F)} every feature has its own slope, for {@code (N, C, H, W)} every channel.
 * Parameter {@code <name>.alpha}, shape {@code (C)} or {@code (1)} when shared, initialised to
 * 0.25 as in the paper.
 *
 * <p>Keeps a reference to the input: a learned slope may turn negative, so the sign of y no longer
 * tells where x was positive, and the slope gradient needs x itself.
 */
public final class PReLU implements Activation {
    /** He et al. 2015, section 2.1: "we use a_i = 0.25 as the initialization". */
    public static final float INITIAL_SLOPE = 0.25f;

    private final boolean shared;
    private String name;
    private int[] shape;
    private int channels, spatial;
    private Tensor alpha, alphaGrad;
    private Tensor x;
    private Tensor y, dx;

    /** One slope per channel (per feature for {@code (N, F)} inputs). */
    public PReLU() {
        this(false);
    }

    /** {@code shared}: one slope for all units instead of one per channel. */
    public PReLU(boolean shared) {
        this.shared = shared;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        this.name = name;
        shape = inputShape.clone();
        int features = Tensor.sizeOf(inputShape);
        channels = inputShape.length == 0 ? 1 : inputShape[0];
        spatial = channels == 0 ? 0 : features / channels;
        params.add(name + ".alpha", shared ? 1 : channels);
        return inputShape.clone();
    }

    @Override
    public void bind(Parameters params) {
        alpha = params.value(name + ".alpha");
        alphaGrad = params.grad(name + ".alpha");
    }

    @Override
    public void initialize(Rng rng) {
        alpha.fill(INITIAL_SLOPE);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        int n = BatchBuffers.batchSize(x, channels * spatial, name);
        y = BatchBuffers.reuse(y, n, shape);
        float[] xs = x.data, ys = y.data, a = alpha.data;
        int step = shared ? 0 : 1;
        for (int r = 0, i = 0; r < n; r++) {
            for (int c = 0, ai = alpha.offset; c < channels; c++, ai += step) {
                float slope = a[ai];
                for (int s = 0; s < spatial; s++, i++) {
                    float v = xs[x.offset + i];
                    ys[y.offset + i] = v > 0f ? v : slope * v;
                }
            }
        }
        this.x = x;
        return y;
    }

    /** dx = dy on the positive side, a dy elsewhere; adds sum of x dy over the non-positive inputs to each slope. */
    @Override
    public Tensor backward(Tensor dy) {
        BatchBuffers.sameSize(dy, y, name);
        int n = y.rows();
        dx = BatchBuffers.reuse(dx, n, shape);
        float[] xs = x.data, g = dy.data, d = dx.data, a = alpha.data, ag = alphaGrad.data;
        int step = shared ? 0 : 1;
        for (int r = 0, i = 0; r < n; r++) {
            for (int c = 0, ai = alpha.offset, gi = alphaGrad.offset; c < channels; c++, ai += step, gi += step) {
                float slope = a[ai];
                double slopeGrad = 0;
                for (int s = 0; s < spatial; s++, i++) {
                    float v = xs[x.offset + i], gv = g[dy.offset + i];
                    if (v > 0f) {
                        d[dx.offset + i] = gv;
                    } else {
                        d[dx.offset + i] = slope * gv;
                        slopeGrad += (double) v * gv;
                    }
                }
                ag[gi] += (float) slopeGrad;
            }
        }
        return dx;
    }

    @Override
    public boolean reluFamily() { return true; }

    /** Only while every learned slope is exactly 0: a slope of any other value still passes gradient. */
    @Override
    public boolean canDie() {
        if (alpha == null) return false;
        for (int i = 0; i < alpha.size(); i++) if (alpha.data[alpha.offset + i] != 0f) return false;
        return true;
    }

    @Override
    public String kind() { return "prelu"; }
}
