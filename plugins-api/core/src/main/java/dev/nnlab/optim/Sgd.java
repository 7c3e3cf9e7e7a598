package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;
import jdk.incubator.vector.FloatVector;

import java.util.List;

/**
 * Stochastic gradient descent, plain, with momentum, or with Nesterov momentum, in PyTorch's
 * formulation (no dampening): with {@code g = grad + weightDecay * p},
 * <pre>
 *   plain:    p -= lr * g
 *   momentum: v = mu * v + g;  p -= lr * v
 *   Nesterov: v = mu * v + g;  p -= lr * (g + mu * v)
 * </pre>
 * This differs from Sutskever et al. (2013), who fold lr into v; the two agree for a constant lr.
 * With {@code mu = 0} both momentum forms reduce to plain SGD (the velocity is just g), so
 * {@code momentum = 0} is allowed for every variant and runs the plain update without a velocity
 * array: a sweep over {@code momentum: [0, 0.9]} compares with and without momentum in one grid.
 * State: {@code "velocity"} when {@code momentum > 0}, nothing otherwise.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Sgd extends GroupedOptimizer {
    /** {@code mu}: 0 is plain SGD; 1 would never forget a gradient and let the velocity grow without bound. */
    public static final Range MOMENTUM = Range.closedOpen(0, 1);

    private final float momentum;
    private final boolean nesterov;
    private final float[] velocity;

    public Sgd(Parameters params, float lr) {
        this(params, List.of(), lr, 0f, false, 0f);
    }

    /**
     * @param momentum {@code mu} in [0, 1); 0 is plain SGD
     * @param nesterov look-ahead momentum; with {@code momentum = 0} it is plain SGD too
     */
    public Sgd(Parameters params, List<ParameterGroup> groups, float lr, float momentum, boolean nesterov,
               float weightDecay) {
        super(kindOf(momentum, nesterov), params, groups, lr, weightDecay,
                momentum > 0f ? new String[] {"velocity"} : new String[0]);
        MOMENTUM.require(kind(), "momentum", momentum);
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.velocity = momentum > 0f ? stateArray("velocity") : null;
    }

    private static String kindOf(float momentum, boolean nesterov) {
        return nesterov ? "nesterov" : momentum > 0f ? "momentum" : "sgd";
    }

    /** Each value's update reads and writes only its own index of every array. */
    @Override
    protected boolean independentRanges() { return true; }

    @Override
    protected void update(int off, int n, float lr, float wd) {
        if (velocity == null) plain(off, n, lr, wd);
        else withMomentum(off, n, lr, wd);
    }

    private void plain(int off, int n, float lr, float wd) {
        float[] p = params.values, gr = params.grads;
        int i = off, end = off + n, upper = off + SPECIES.loopBound(n);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector g = FloatVector.fromArray(SPECIES, gr, i).add(pv.mul(wd));
            pv.sub(g.mul(lr)).intoArray(p, i);
        }
        for (; i < end; i++) {
            float g = gr[i] + p[i] * wd;
            p[i] = p[i] - g * lr;
        }
    }

    private void withMomentum(int off, int n, float lr, float wd) {
        float[] p = params.values, gr = params.grads, v = velocity;
        float mu = momentum;
        int i = off, end = off + n, upper = off + SPECIES.loopBound(n);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector g = FloatVector.fromArray(SPECIES, gr, i).add(pv.mul(wd));
            FloatVector vv = FloatVector.fromArray(SPECIES, v, i).mul(mu).add(g);
            vv.intoArray(v, i);
            FloatVector d = nesterov ? g.add(vv.mul(mu)) : vv;
            pv.sub(d.mul(lr)).intoArray(p, i);
        }
        for (; i < end; i++) {
            float g = gr[i] + p[i] * wd;
            float vi = v[i] * mu + g;
            v[i] = vi;
            float d = nesterov ? g + vi * mu : vi;
            p[i] = p[i] - d * lr;
        }
    }

    public float momentum() { return momentum; }
    public boolean nesterov() { return nesterov; }
}
