package dev.nnlab.training;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Test fixture: an activation whose forward ignores its input and returns a hand-built output, so a
 * monitor test controls every activation value. As ReLU family it uses ReLU's {@code y == 0} rule for
 * "inactive"; otherwise it saturates like tanh ({@code |y| > 0.95}).
 */
final class FixturePresetActivation implements Activation {
    private final Tensor output;
    private final boolean reluFamily;

    FixturePresetActivation(Tensor output, boolean reluFamily) {
        this.output = output;
        this.reluFamily = reluFamily;
    }

    @Override
    public int[] build(String name, int[] inputShape, Parameters.Builder params) {
        int[] s = output.shape();
        return Arrays.copyOfRange(s, 1, s.length);
    }

    @Override
    public Tensor forward(Tensor x, boolean training) { return output; }

    @Override
    public Tensor backward(Tensor dy) { return Tensor.zeros(dy.shape()); }

    @Override
    public boolean reluFamily() { return reluFamily; }

    @Override
    public boolean inactive(float y) { return y == 0f; }

    @Override
    public boolean saturated(float y) { return !reluFamily && Math.abs(y) > 0.95f; }

    @Override
    public String kind() { return reluFamily ? "presetrelu" : "presettanh"; }
}
