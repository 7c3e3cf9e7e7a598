package dev.nnlab.training;

import dev.nnlab.nn.Parameters;
import dev.nnlab.optim.Optimizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test fixture: SGD with optional heavy-ball momentum ({@code v = mu v + g; p -= lr v}), skipping
 * non-trainable entries. Momentum gives it state, so checkpoint tests show that state survives.
 */
final class FixtureSgd implements Optimizer {
    private final Parameters params;
    private final float momentum;
    private final float[] velocity;
    private float lr;
    private long steps;

    FixtureSgd(Parameters params, float lr, float momentum) {
        this.params = params;
        this.lr = lr;
        this.momentum = momentum;
        this.velocity = new float[params.size()];
    }

    @Override
    public void step() {
        for (Parameters.Entry e : params.entries()) {
            if (!e.trainable()) continue;
            for (int i = e.offset(); i < e.offset() + e.size(); i++) {
                velocity[i] = momentum * velocity[i] + params.grads[i];
                params.values[i] -= lr * velocity[i];
            }
        }
        steps++;
    }

    @Override public float learningRate() { return lr; }
    @Override public void setLearningRate(float lr) { this.lr = lr; }
    @Override public long steps() { return steps; }

    @Override
    public Map<String, float[]> state() {
        Map<String, float[]> s = new LinkedHashMap<>();
        s.put("velocity", velocity);
        return s;
    }

    @Override
    public void restore(long steps, Map<String, float[]> state) {
        this.steps = steps;
        System.arraycopy(state.get("velocity"), 0, velocity, 0, velocity.length);
    }
}
