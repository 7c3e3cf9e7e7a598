package dev.nnlab.training;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

/** Test fixture: ReLU over any shape. */
final class FixtureRelu implements Activation {
    private Tensor y, dx;

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) { return inputShape.clone(); }

    @Override
    public Tensor forward(Tensor x, boolean training) {
        if (y == null || y.size() != x.size()) y = Tensor.zeros(x.shape());
        for (int i = 0; i < x.size(); i++) y.data[i] = Math.max(x.at(i), 0f);
        return y;
    }

    @Override
    public Tensor backward(Tensor dy) {
        if (dx == null || dx.size() != dy.size()) dx = Tensor.zeros(dy.shape());
        for (int i = 0; i < dy.size(); i++) dx.data[i] = y.data[i] > 0f ? dy.at(i) : 0f;
        return dx;
    }

    @Override
    public boolean reluFamily() { return true; }

    @Override
    public boolean canDie() { return true; }

    @Override
    public boolean inactive(float y) { return y == 0f; }

    @Override
    public String kind() { return "fixrelu"; }
}
