package dev.nnlab.nn.layers;

import dev.nnlab.kernels.VectorOps;

/** {@code y = max(x, 0)} element-wise on {@code (N, ...)}; backward passes dy where y > 0. */
public final class ReLU extends PointwiseActivation {

    @Override
    protected void apply(int n, float[] x, int xOff, float[] y, int yOff) {
        VectorOps.relu(n, x, xOff, y, yOff);
    }

    @Override
    protected void derivative(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        VectorOps.reluBackward(n, y, yOff, dy, dyOff, dx, dxOff);
    }

    @Override
    public boolean reluFamily() { return true; }

    @Override
    public boolean canDie() { return true; }

    @Override
    public boolean inactive(float y) { return y == 0f; }

    @Override
    public String kind() { return "relu"; }
}
