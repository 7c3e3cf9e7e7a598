package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.List;

/**
 * RMSprop (Hinton, Coursera lecture 6e, 2012): with {@code g = grad + weightDecay * p},
 * {@code v = alpha * v + (1 - alpha) g^2;  p -= lr * g / (sqrt(v) + eps)}.
 *
 * <p>{@code alpha} defaults to 0.99, PyTorch's default (the lecture suggests 0.9; pass it to get
 * the lecture's behaviour), and eps to 1e-8, also PyTorch's. Like PyTorch, eps is added outside
 * the square root. State: {@code "square_avg"} (PyTorch's name), starting at 0.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class RmsProp extends GroupedOptimizer {
    public static final float DEFAULT_ALPHA = 0.99f;
    public static final float DEFAULT_EPS = 1e-8f;
    /** An exponential-average decay: 1 would never forget, so it stays below. */
    public static final Range ALPHA = Range.closedOpen(0, 1);

    private final float alpha;
    private final float eps;
    private final float[] squareAvg;

    public RmsProp(Parameters params, float lr) {
        this(params, List.of(), lr, DEFAULT_ALPHA, DEFAULT_EPS, 0f);
    }

    /** @param alpha the squared-gradient decay, in [0, 1) */
    public RmsProp(Parameters params, List<ParameterGroup> groups, float lr, float alpha, float eps, float weightDecay) {
        super("rmsprop", params, groups, lr, weightDecay, "square_avg");
        this.alpha = ALPHA.require(kind(), "alpha", alpha);
        this.eps = EPS.require(kind(), "eps", eps);
        this.squareAvg = stateArray("square_avg");
    }

    /** Each value's update reads and writes only its own index of every array. */
    @Override
    protected boolean independentRanges() { return true; }

    @Override
    protected void update(int off, int n, float lr, float wd) {
        float[] p = params.values, gr = params.grads, v = squareAvg;
        float a = alpha, oneMinusA = 1f - alpha;
        int i = off, end = off + n, upper = off + SPECIES.loopBound(n);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector g = FloatVector.fromArray(SPECIES, gr, i).add(pv.mul(wd));
            FloatVector vv = FloatVector.fromArray(SPECIES, v, i).mul(a).add(g.mul(g).mul(oneMinusA));
            vv.intoArray(v, i);
            FloatVector denom = vv.lanewise(VectorOperators.SQRT).add(eps);
            pv.sub(g.div(denom).mul(lr)).intoArray(p, i);
        }
        for (; i < end; i++) {
            float g = gr[i] + p[i] * wd;
            float vi = v[i] * a + g * g * oneMinusA;
            v[i] = vi;
            p[i] = p[i] - g / ((float) Math.sqrt(vi) + eps) * lr;
        }
    }

    public float alpha() { return alpha; }
    public float eps() { return eps; }

    @Override protected float[] adaptiveAccumulator() { return squareAvg; }

    @Override protected float adaptiveEps() { return eps; }
}
