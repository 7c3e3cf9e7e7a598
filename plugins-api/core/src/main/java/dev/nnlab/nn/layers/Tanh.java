package dev.nnlab.nn.layers;

/** {@code y = tanh(x)} element-wise on {@code (N, ...)}; {@code dy/dx = 1 - y^2}. Stability: stable for plugin authors. */
public final class Tanh extends PointwiseActivation {

    @Override
    protected void apply(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = (float) Math.tanh(x[xOff + i]);
    }

    @Override
    protected void derivative(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * (1f - v * v);
        }
    }

    /** Never "dead" in the ReLU sense: a unit that stops learning is saturated instead. */
    @Override
    public boolean inactive(float y) { return false; }

    @Override
    public boolean saturated(float y) { return Math.abs(y) > 0.95f; }

    @Override
    public String kind() { return "tanh"; }
}
