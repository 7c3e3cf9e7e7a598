package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.List;

/**
 * Adagrad (Duchi, Hazan and Singer, 2011): with {@code g = grad + weightDecay * p},
 * {@code s += g^2;  p -= lr * g / (sqrt(s) + eps)}. {@code eps} defaults to 1e-10 as in PyTorch,
 * where it only guards the division for parameters that have never seen a gradient.
 * State: {@code "sum"} (PyTorch's name), starting at 0.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Adagrad extends GroupedOptimizer {
    public static final float DEFAULT_EPS = 1e-10f;

    private final float eps;
    private final float[] sum;

    public Adagrad(Parameters params, float lr) {
        this(params, List.of(), lr, DEFAULT_EPS, 0f);
    }

    public Adagrad(Parameters params, List<ParameterGroup> groups, float lr, float eps, float weightDecay) {
        super("adagrad", params, groups, lr, weightDecay, "sum");
        this.eps = EPS.require(kind(), "eps", eps);
        this.sum = stateArray("sum");
    }

    /** Each value's update reads and writes only its own index of every array. */
    @Override
    protected boolean independentRanges() { return true; }

    @Override
    protected void update(int off, int n, float lr, float wd) {
        float[] p = params.values, gr = params.grads, s = sum;
        int i = off, end = off + n, upper = off + SPECIES.loopBound(n);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector g = FloatVector.fromArray(SPECIES, gr, i).add(pv.mul(wd));
            FloatVector sv = FloatVector.fromArray(SPECIES, s, i).add(g.mul(g));
            sv.intoArray(s, i);
            FloatVector denom = sv.lanewise(VectorOperators.SQRT).add(eps);
            pv.sub(g.div(denom).mul(lr)).intoArray(p, i);
        }
        for (; i < end; i++) {
            float g = gr[i] + p[i] * wd;
            float si = s[i] + g * g;
            s[i] = si;
            p[i] = p[i] - g / ((float) Math.sqrt(si) + eps) * lr;
        }
    }

    public float eps() { return eps; }

    @Override protected float[] adaptiveAccumulator() { return sum; }

    @Override protected float adaptiveEps() { return eps; }
}
