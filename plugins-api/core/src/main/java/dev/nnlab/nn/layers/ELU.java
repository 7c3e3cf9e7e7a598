package dev.nnlab.nn.layers;

import dev.nnlab.nn.Range;

/**
 * Exponential linear unit (Clevert et al. 2015): {@code y = x > 0 ? x : alpha (e^x - 1)},
 * element-wise on {@code (N, ...)}, alpha default 1. Keeps y: on the negative side
 * {@code dy/dx = alpha e^x = y + alpha}, so the exponential is not evaluated twice.
 */
public final class ELU extends PointwiseActivation {
    /** The saturation level for negative inputs; 0 makes it a ReLU. */
    public static final Range ALPHA = Range.atLeast(0);
    private final float alpha;

    public ELU() {
        this(1f);
    }

    public ELU(float alpha) {
        ALPHA.require("elu", "alpha", alpha);
        this.alpha = alpha;
    }

    public float alpha() { return alpha; }

    @Override
    protected void apply(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            // expm1 keeps e^x - 1 accurate for x near 0, where e^x rounds to 1.
            y[yOff + i] = v > 0f ? v : (float) (alpha * Math.expm1(v));
        }
    }

    @Override
    protected void derivative(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            dx[dxOff + i] = v > 0f ? dy[dyOff + i] : dy[dyOff + i] * (v + alpha);
        }
    }

    @Override
    public boolean reluFamily() { return true; }

    @Override
    public String kind() { return "elu"; }
}
