package dev.nnlab.nn.layers;

import dev.nnlab.nn.Range;

/**
 * {@code y = x > 0 ? x : alpha x}, element-wise on {@code (N, ...)}, with a fixed slope alpha
 * (default 0.01, Maas et al. 2013) so negative inputs still pass a small gradient. alpha >= 0
 * keeps y positive exactly where x is, so backward reads y instead of keeping the input.
 */
public final class LeakyReLU extends PointwiseActivation {
    /** The negative slope; 0 makes it a ReLU. */
    public static final Range ALPHA = Range.atLeast(0);
    private final float alpha;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float alpha) {
        ALPHA.require("leaky relu", "alpha", alpha);
        this.alpha = alpha;
    }

    public float alpha() { return alpha; }

    @Override
    protected void apply(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v > 0f ? v : alpha * v;
        }
    }

    @Override
    protected void derivative(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) dx[dxOff + i] = y[yOff + i] > 0f ? dy[dyOff + i] : alpha * dy[dyOff + i];
    }

    @Override
    public boolean reluFamily() { return true; }

    /** Only with slope 0, where it is a ReLU: any other slope still passes gradient for negative inputs. */
    @Override
    public boolean canDie() { return alpha == 0f; }

    @Override
    public String kind() { return "leaky_relu"; }
}
