package dev.nnlab.nn.layers;

import dev.nnlab.nn.init.Initializer;
import dev.nnlab.tensor.Tensor;

import java.util.Map;

/**
 * Gated recurrent unit (Cho et al. 2014) in PyTorch's formulation, {@code x (N, T, C)} ->
 * {@code h (N, T, H)}, gates in the order r, z, n:
 * <pre>
 *   r = sigmoid(x W_ir + b_ir + h_{t-1} W_hr + b_hr)     z = sigmoid(x W_iz + b_iz + h_{t-1} W_hz + b_hz)
 *   n = tanh(x W_in + b_in + r * (h_{t-1} W_hn + b_hn))   h_t = (1 - z) * n + z * h_{t-1}
 * </pre>
 * The reset gate multiplies the recurrent part of n only, so the recurrent bias is a parameter of
 * its own ({@code bias_hh}) and the recurrent products are kept ({@code rec}) for backward. The
 * input-side and recurrent-side pre-activation gradients differ in the n block only
 * ({@code dRec_n = r * dPre_n}), hence the two gradient buffers.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Gru extends Recurrent {
    /** h_{t-1} W_hh + b_hh per step, (N, T, 3H). */
    private Tensor rec;

    /** PyTorch's initialisation. */
    public Gru(int hidden) { this(hidden, null); }

    /** @param init weights and biases; null for uniform(-1/sqrt(H), 1/sqrt(H)) */
    public Gru(int hidden, Initializer init) { super("gru", hidden, 3, init, true); }

    @Override public String kind() { return "gru"; }

    @Override
    protected void ensureBuffers(int n) { rec = BatchBuffers.reuse(rec, n, steps, width); }

    @Override
    protected void forwardSteps(int n, Tensor last) {
        int h = hidden;
        float[] a = act.data, rc = rec.data, p = prev.data, out = y.data, bh = biasHh.data;
        int bo = biasHh.offset;
        for (int t = 0; t < steps; t++) {
            recurrentProduct(n, t, rec, false);
            for (int s = 0; s < n; s++) {
                int r = s * steps + t, g = act.offset + r * width, q = rec.offset + r * width, ps = prev.offset + r * h;
                boolean end = t + 1 == steps;
                float[] dst = end ? last.data : p;
                int next = end ? last.offset + s * h : ps + h;
                for (int j = 0; j < h; j++) {
                    float qr = rc[q + j] += bh[bo + j];
                    float qz = rc[q + h + j] += bh[bo + h + j];
                    float qn = rc[q + 2 * h + j] += bh[bo + 2 * h + j];
                    float reset = sigmoid(a[g + j] + qr), update = sigmoid(a[g + h + j] + qz);
                    float cand = (float) Math.tanh(a[g + 2 * h + j] + reset * qn);
                    a[g + j] = reset;
                    a[g + h + j] = update;
                    a[g + 2 * h + j] = cand;
                    float hv = (1 - update) * cand + update * p[ps + j];
                    out[y.offset + r * h + j] = hv;
                    dst[next + j] = hv;
                }
            }
        }
    }

    @Override
    protected void backwardSteps(int n, Tensor dy) {
        int h = hidden;
        dRec = BatchBuffers.reuse(dRec, n, steps, width);
        float[] a = act.data, rc = rec.data, p = prev.data, d = dy.data, gp = dPre.data, gr = dRec.data, ds = dState.data;
        for (int t = steps - 1; t >= 0; t--) {
            double norm = 0;
            for (int s = 0; s < n; s++) {
                int r = s * steps + t, g = act.offset + r * width, q = rec.offset + r * width, ps = prev.offset + r * h;
                int dp = dPre.offset + r * width, dq = dRec.offset + r * width, st = dState.offset + s * h;
                for (int j = 0; j < h; j++) {
                    float dh = d[dy.offset + r * h + j] + ds[st + j];
                    norm += (double) dh * dh;
                    float reset = a[g + j], update = a[g + h + j], cand = a[g + 2 * h + j];
                    float dn = dh * (1 - update) * (1 - cand * cand);
                    float dz = dh * (p[ps + j] - cand) * update * (1 - update);
                    float dr = dn * rc[q + 2 * h + j] * reset * (1 - reset);
                    gp[dp + j] = dr;
                    gp[dp + h + j] = dz;
                    gp[dp + 2 * h + j] = dn;
                    gr[dq + j] = dr;
                    gr[dq + h + j] = dz;
                    gr[dq + 2 * h + j] = dn * reset;
                    ds[st + j] = dh * update;
                }
            }
            if (t == steps - 1) lastStepGradNorm = Math.sqrt(norm);
            if (t == 0) firstStepGradNorm = Math.sqrt(norm);
            backIntoHidden(n, dRec, t);
        }
    }

    /** Adds the shares of saturated reset and update gates (above 0.95 or below 0.05): the GRU's counterparts of input and forget gates. */
    @Override
    public Map<String, Double> statistics() {
        Map<String, Double> m = super.statistics();
        int rows = act == null ? 0 : act.rows() * steps;
        if (rows > 0) {
            m.put("reset_gate_saturation", saturatedShare(act.data, act.offset, width, rows, hidden));
            m.put("update_gate_saturation", saturatedShare(act.data, act.offset + hidden, width, rows, hidden));
        }
        return m;
    }
}
