package dev.nnlab.training;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Parameters;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Test fixture: an activation whose forward ignores its input and returns a hand-built output, so a
 * monitor test controls every activation value (change the tensor between passes to feed another
 * batch). As ReLU family its units can die like ReLU's; otherwise it saturates like tanh
 * ({@code |y| > 0.95}). {@code unitAxis} says which per-sample axis holds the units.
 */
final class FixturePresetActivation implements Activation {
    private final Tensor output;
    private final boolean reluFamily;
    private final int unitAxis;

    FixturePresetActivation(Tensor output, boolean reluFamily) {
        this(output, reluFamily, 0);
    }

    FixturePresetActivation(Tensor output, boolean reluFamily, int unitAxis) {
        this.output = output;
        this.reluFamily = reluFamily;
        this.unitAxis = unitAxis;
    }

    @Override
    public boolean canDie() { return reluFamily; }

    @Override
    public int unitAxis() { return unitAxis; }

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
