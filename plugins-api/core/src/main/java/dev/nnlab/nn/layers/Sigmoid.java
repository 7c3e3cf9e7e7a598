package dev.nnlab.nn.layers;

/**
 * The logistic function {@code y = 1 / (1 + e^-x)}, element-wise on {@code (N, ...)};
 * {@code dy/dx = y (1 - y)}, at most 1/4, which is why deep sigmoid stacks lose their gradients.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Sigmoid extends PointwiseActivation {

    /** The logistic function in a form whose exponent is never positive, so e^|x| cannot overflow. */
    public static float sigmoid(float x) {
        if (x >= 0f) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    @Override
    protected void apply(int n, float[] x, int xOff, float[] y, int yOff) {
        for (int i = 0; i < n; i++) y[yOff + i] = sigmoid(x[xOff + i]);
    }

    @Override
    protected void derivative(int n, float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            dx[dxOff + i] = dy[dyOff + i] * v * (1f - v);
        }
    }

    /** Never "dead" in the ReLU sense: a unit that stops learning is saturated instead. */
    @Override
    public boolean inactive(float y) { return false; }

    @Override
    public boolean saturated(float y) { return y < 0.05f || y > 0.95f; }

    @Override
    public String kind() { return "sigmoid"; }
}
