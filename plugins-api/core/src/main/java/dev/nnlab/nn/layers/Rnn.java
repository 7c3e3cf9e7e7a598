package dev.nnlab.nn.layers;

import dev.nnlab.nn.init.Initializer;
import dev.nnlab.tensor.Tensor;

import java.util.Map;

/**
 * The vanilla (Elman) recurrent layer, {@code x (N, T, C)} -> {@code h (N, T, H)}:
 * {@code h_t = tanh(x_t W_ih + h_{t-1} W_hh + b)}. One bias (PyTorch's two are redundant). Its
 * gradient through time is a product of {@code T} Jacobians {@code diag(1 - h^2) W_hh^T}, which
 * vanishes (or explodes) as the window grows (Bengio et al. 1994): the layer the LSTM is compared to.
 *
 * <p>Stability: evolving (new in this revision of the API; may still change).
 */
public final class Rnn extends Recurrent {

    /** PyTorch's initialisation. */
    public Rnn(int hidden) { this(hidden, null); }

    /** @param init weights and bias; null for uniform(-1/sqrt(H), 1/sqrt(H)) */
    public Rnn(int hidden, Initializer init) { super("rnn", hidden, 1, init, false); }

    @Override public String kind() { return "rnn"; }

    @Override
    protected void forwardSteps(int n, Tensor last) {
        int h = hidden;
        float[] a = act.data, p = prev.data, out = y.data;
        for (int t = 0; t < steps; t++) {
            recurrentProduct(n, t, act, true);
            for (int s = 0; s < n; s++) {
                int r = s * steps + t, g = act.offset + r * h;
                boolean end = t + 1 == steps;
                float[] dst = end ? last.data : p;
                int next = end ? last.offset + s * h : prev.offset + (r + 1) * h;
                for (int j = 0; j < h; j++) {
                    float v = (float) Math.tanh(a[g + j]);
                    a[g + j] = v;
                    out[y.offset + r * h + j] = v;
                    dst[next + j] = v;
                }
            }
        }
    }

    @Override
    protected void backwardSteps(int n, Tensor dy) {
        int h = hidden;
        float[] a = act.data, d = dy.data, g = dPre.data, ds = dState.data;
        for (int t = steps - 1; t >= 0; t--) {
            double norm = 0;
            for (int s = 0; s < n; s++) {
                int r = s * steps + t, st = dState.offset + s * h;
                for (int j = 0; j < h; j++) {
                    float dh = d[dy.offset + r * h + j] + ds[st + j];
                    norm += (double) dh * dh;
                    float v = a[act.offset + r * h + j];
                    g[dPre.offset + r * h + j] = dh * (1 - v * v);
                    ds[st + j] = 0f;
                }
            }
            if (t == steps - 1) lastStepGradNorm = Math.sqrt(norm);
            if (t == 0) firstStepGradNorm = Math.sqrt(norm);
            backIntoHidden(n, dPre, t);
        }
    }

    /** Adds {@code saturation}: the share of hidden values with |h| > 0.9, where tanh passes little gradient. */
    @Override
    public Map<String, Double> statistics() {
        Map<String, Double> m = super.statistics();
        if (act != null && act.size() > 0) {
            long sat = 0;
            for (int i = 0; i < act.size(); i++) if (Math.abs(act.data[act.offset + i]) > 0.9f) sat++;
            m.put("saturation", (double) sat / act.size());
        }
        return m;
    }
}
