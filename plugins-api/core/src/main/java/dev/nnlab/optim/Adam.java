package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with bias correction, and AdamW (Loshchilov and Hutter, 2019) as a flag.
 * At step t, with {@code bc1 = 1 - beta1^t} and {@code bc2 = 1 - beta2^t}:
 * <pre>
 *   Adam:   g = grad + weightDecay * p           (L2 coupled into the gradient)
 *   AdamW:  g = grad;  p *= 1 - lr * weightDecay  (decay decoupled from the adaptive scaling)
 *   m = beta1 m + (1 - beta1) g;   v = beta2 v + (1 - beta2) g^2
 *   p -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
 * </pre>
 * which is PyTorch's arrangement of the update (eps added to the bias-corrected root). Without the
 * correction the first steps would be scaled by {@code (1 - beta1) / sqrt(1 - beta2)}; with it the
 * first step moves every parameter by almost exactly {@code lr}, whatever its gradient's size.
 * State: {@code "m"} and {@code "v"}, starting at 0.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Adam extends GroupedOptimizer {
    public static final float DEFAULT_BETA1 = 0.9f;
    public static final float DEFAULT_BETA2 = 0.999f;
    public static final float DEFAULT_EPS = 1e-8f;
    /** Both moment decays: 0 keeps only the current gradient, 1 would never forget (and break bias correction). */
    public static final Range BETA = Range.closedOpen(0, 1);

    private final float beta1;
    private final float beta2;
    private final float eps;
    private final boolean decoupled;
    private final float[] m;
    private final float[] v;
    private float biasCorrection1;
    private float sqrtBiasCorrection2;

    public Adam(Parameters params, float lr) {
        this(params, List.of(), lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS, 0f, false);
    }

    /** @param decoupledWeightDecay true for AdamW */
    public Adam(Parameters params, List<ParameterGroup> groups, float lr, float beta1, float beta2, float eps,
                float weightDecay, boolean decoupledWeightDecay) {
        super(decoupledWeightDecay ? "adamw" : "adam", params, groups, lr, weightDecay, "m", "v");
        this.beta1 = BETA.require(kind(), "beta1", beta1);
        this.beta2 = BETA.require(kind(), "beta2", beta2);
        this.eps = EPS.require(kind(), "eps", eps);
        this.decoupled = decoupledWeightDecay;
        this.m = stateArray("m");
        this.v = stateArray("v");
    }

    @Override
    protected void beginStep(long step) {
        // In double: beta2^t for t in the thousands loses most of its digits in float.
        biasCorrection1 = (float) (1.0 - Math.pow(beta1, step));
        sqrtBiasCorrection2 = (float) Math.sqrt(1.0 - Math.pow(beta2, step));
    }

    /** Each value's update reads and writes only its own index of every array. */
    @Override
    protected boolean independentRanges() { return true; }

    @Override
    protected void update(int off, int n, float lr, float wd) {
        float[] p = params.values, gr = params.grads, mm = m, vv = v;
        float b1 = beta1, b2 = beta2, c1 = 1f - beta1, c2 = 1f - beta2;
        float stepSize = lr / biasCorrection1, rootBc2 = sqrtBiasCorrection2;
        float coupled = decoupled ? 0f : wd;
        float shrink = decoupled ? 1f - lr * wd : 1f;
        int i = off, end = off + n, upper = off + SPECIES.loopBound(n);
        for (; i < upper; i += SPECIES.length()) {
            FloatVector pv = FloatVector.fromArray(SPECIES, p, i);
            FloatVector g = FloatVector.fromArray(SPECIES, gr, i).add(pv.mul(coupled));
            pv = pv.mul(shrink);
            FloatVector mv = FloatVector.fromArray(SPECIES, mm, i).mul(b1).add(g.mul(c1));
            FloatVector sv = FloatVector.fromArray(SPECIES, vv, i).mul(b2).add(g.mul(g).mul(c2));
            mv.intoArray(mm, i);
            sv.intoArray(vv, i);
            FloatVector denom = sv.lanewise(VectorOperators.SQRT).div(rootBc2).add(eps);
            pv.sub(mv.div(denom).mul(stepSize)).intoArray(p, i);
        }
        for (; i < end; i++) {
            float g = gr[i] + p[i] * coupled;
            float pi = p[i] * shrink;
            float mi = mm[i] * b1 + g * c1;
            float si = vv[i] * b2 + g * g * c2;
            mm[i] = mi;
            vv[i] = si;
            float denom = (float) Math.sqrt(si) / rootBc2 + eps;
            p[i] = pi - mi / denom * stepSize;
        }
    }

    public float beta1() { return beta1; }
    public float beta2() { return beta2; }
    public float eps() { return eps; }
    public boolean decoupledWeightDecay() { return decoupled; }

    @Override protected boolean decoupledDecay() { return decoupled; }
}
