package dev.nnlab.nn.layers;

import dev.nnlab.kernels.LstmGates;
import dev.nnlab.nn.Range;
import dev.nnlab.nn.init.Initializer;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;

import java.util.Map;

/**
 * Long short-term memory (Hochreiter and Schmidhuber 1997, with the forget gate of Gers et al. 2000),
 * {@code x (N, T, C)} -> {@code h (N, T, H)}. Gates in PyTorch's order i, f, g, o:
 * <pre>
 *   i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o),   a = x W_ih + h_{t-1} W_hh + b
 *   c_t = f * c_{t-1} + i * g          h_t = o * tanh(c_t)
 * </pre>
 * The state is {@code (h, c)}: {@code stateWidth() = 2H}, hidden first. One bias (PyTorch's two are
 * redundant). {@code forgetBias} is added to the forget gate's initial bias: Jozefowicz et al. (2015)
 * found 1 lets gradients through from the start; 0 keeps the plain initialisation.
 *
 * <p>Per step: one recurrent GEMM into the gate pre-activations, then one fused vector pass
 * ({@link LstmGates}) that activates all four gates and updates c and h (PyTorch 1.13 runs about ten operators here). See
 * {@link Recurrent} for what is batched over all steps.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Lstm extends Recurrent {
    public static final Range FORGET_BIAS = Range.closed(-10, 10);

    private final float forgetBias;
    /** tanh(c_t), (N, T, H). */
    private Tensor tanhC;

    /** PyTorch's initialisation, no extra forget bias. */
    public Lstm(int hidden) { this(hidden, null, 0f); }

    /** @param init weights and biases; null for uniform(-1/sqrt(H), 1/sqrt(H)) */
    public Lstm(int hidden, Initializer init, float forgetBias) {
        super("lstm", hidden, 4, init, false);
        this.forgetBias = FORGET_BIAS.require("lstm", "forgetBias", forgetBias);
    }

    @Override public int stateWidth() { return 2 * hidden; }

    @Override public String kind() { return "lstm"; }

    @Override
    public void initialize(Rng rng) {
        super.initialize(rng);
        for (int j = 0; j < hidden; j++) bias.data[bias.offset + hidden + j] += forgetBias;
    }

    @Override
    protected void ensureBuffers(int n) { tanhC = BatchBuffers.reuse(tanhC, n, steps, hidden); }

    @Override
    protected void forwardSteps(int n, Tensor last) {
        int h = hidden, sw = 2 * h;
        float[] a = act.data, p = prev.data, out = y.data, tc = tanhC.data, l = last.data;
        for (int t = 0; t < steps; t++) {
            recurrentProduct(n, t, act, true);
            for (int s = 0; s < n; s++) {
                int r = s * steps + t, g = act.offset + r * width, ps = prev.offset + r * sw, o = r * h;
                boolean end = t + 1 == steps;
                int next = end ? last.offset + s * sw : ps + sw;
                float[] dst = end ? l : p;
                LstmGates.forward(h, a, g, p, ps + h, tc, o, out, y.offset + o, dst, next, next + h);
            }
        }
    }

    @Override
    protected void backwardSteps(int n, Tensor dy) {
        int h = hidden, sw = 2 * h;
        float[] a = act.data, p = prev.data, tc = tanhC.data, d = dy.data, g = dPre.data, ds = dState.data;
        for (int t = steps - 1; t >= 0; t--) {
            double norm = 0;
            for (int s = 0; s < n; s++) {
                int r = s * steps + t, ga = act.offset + r * width, gd = dPre.offset + r * width, ps = prev.offset + r * sw;
                int st = dState.offset + s * sw, o = r * h;
                norm += LstmGates.backward(h, a, ga, p, ps + h, tc, o, d, dy.offset + o, ds, st, st + h, g, gd);
            }
            if (t == steps - 1) lastStepGradNorm = Math.sqrt(norm);
            if (t == 0) firstStepGradNorm = Math.sqrt(norm);
            backIntoHidden(n, dPre, t);
        }
    }

    /** Adds the shares of saturated input and forget gates (above 0.95 or below 0.05) in the last forward. */
    @Override
    public Map<String, Double> statistics() {
        Map<String, Double> m = super.statistics();
        int rows = act == null ? 0 : act.rows() * steps;
        if (rows > 0) {
            m.put("input_gate_saturation", saturatedShare(act.data, act.offset, width, rows, hidden));
            m.put("forget_gate_saturation", saturatedShare(act.data, act.offset + hidden, width, rows, hidden));
        }
        return m;
    }
}
