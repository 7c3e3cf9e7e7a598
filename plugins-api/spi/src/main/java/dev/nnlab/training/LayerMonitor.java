package dev.nnlab.training;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Per-layer health statistics of a {@link Sequential}, measured every {@code everySteps} steps from
 * what the training step already has: the outputs kept by the last forward pass, the gradients of
 * the last backward pass, and the parameters just before and after the optimizer step. Nothing is
 * computed on other steps, and the only extra memory is one copy of the trainable values, taken on
 * measured steps.
 *
 * <pre>{@code
 * model.forward(x, true); ...; model.backward(dy);
 * if (monitor.due(step)) sink.accept(monitor.measureStep(optimizer)); else optimizer.step();
 * }</pre>
 *
 * <p>Layers inside containers (a residual block's body) are measured like top-level ones, under
 * their dotted names ({@code res1.dense0}); see {@link Sequential#allLayers()}.
 *
 * <p>Emitted per layer, in layer order (names in {@link LayerStat}):
 * <ul>
 *   <li>{@link Activation} layers: {@code dead_fraction} (ReLU family) or {@code saturation} (the
 *       others), then {@code act_mean}, {@code act_std}. Units are dimension 1 of the output, so a
 *       channel of {@code (N, C, H, W)} is dead only if inactive at every sample and position.</li>
 *   <li>layers with trainable parameters (entries named {@code <layer>.*}, taken together, weight and
 *       bias alike): {@code grad_norm}, {@code weight_norm} (before the step) and {@code update_ratio};
 *       the ratio is left out while the weights are all zero, where it has no meaning.</li>
 * </ul>
 *
 * <p>Stability: stable for plugin authors.
 */
public final class LayerMonitor {
    private final Sequential model;
    private final Parameters params;
    private final int everySteps;
    private final List<String> names = new ArrayList<>();
    private final List<List<Parameters.Entry>> trainable = new ArrayList<>();
    private final boolean[][] alive;
    private float[] before;
    private List<LayerStat> pending;

    public LayerMonitor(Sequential model, int everySteps) {
        if (everySteps < 1) throw new IllegalArgumentException("everySteps = " + everySteps + " must be >= 1");
        this.model = model;
        this.params = model.params();
        this.everySteps = everySteps;
        List<Layer.Nested> all = model.allLayers();
        this.alive = new boolean[all.size()][];
        for (Layer.Nested n : all) {
            names.add(n.name());
            trainable.add(new ArrayList<>());
        }
        // Each entry belongs to the innermost layer whose name prefixes it: res1.dense0.weight to
        // res1.dense0, not to the block res1 as well.
        for (Parameters.Entry e : params.entries()) {
            int owner = -1;
            for (int i = 0; i < names.size(); i++) {
                if (e.name().startsWith(names.get(i) + ".") && (owner < 0 || names.get(i).length() > names.get(owner).length())) owner = i;
            }
            if (e.trainable() && owner >= 0) trainable.get(owner).add(e);
        }
    }

    /** True on the steps to measure: 0, everySteps, 2 * everySteps, ... */
    public boolean due(long step) { return step % everySteps == 0; }

    /** Measures around one optimizer step: {@link #beforeStep()}, {@code optimizer.step()}, {@link #afterStep()}. */
    public List<LayerStat> measureStep(Optimizer optimizer) {
        beforeStep();
        optimizer.step();
        return afterStep();
    }

    /**
     * Call after backward (and after any gradient clipping) and before the optimizer step: reads the
     * activations and gradients and snapshots the trainable values.
     */
    public void beforeStep() {
        if (before == null) before = new float[params.trainableCount()];
        pending = new ArrayList<>();
        int at = 0;
        List<Layer.Nested> all = model.allLayers();
        for (int i = 0; i < all.size(); i++) {
            Layer layer = all.get(i).layer();
            Tensor y = all.get(i).lastOutput();
            if (layer instanceof Activation act && y != null && y.size() > 0) activationStats(i, act, y);
            for (Parameters.Entry e : trainable.get(i)) {
                System.arraycopy(params.values, e.offset(), before, at, e.size());
                at += e.size();
            }
        }
    }

    /** Call right after the optimizer step; returns this step's records. */
    public List<LayerStat> afterStep() {
        if (pending == null) throw new IllegalStateException("call beforeStep() before the optimizer step");
        List<LayerStat> out = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            for (LayerStat s : pending) if (s.layer().equals(name)) out.add(s);
            List<Parameters.Entry> own = trainable.get(i);
            if (own.isEmpty()) continue;
            double grad2 = 0, weight2 = 0, delta2 = 0;
            for (Parameters.Entry e : own) {
                for (int k = 0; k < e.size(); k++) {
                    double g = params.grads[e.offset() + k];
                    double p = before[at + k];
                    double d = params.values[e.offset() + k] - p;
                    grad2 += g * g;
                    weight2 += p * p;
                    delta2 += d * d;
                }
                at += e.size();
            }
            out.add(new LayerStat(name, LayerStat.GRAD_NORM, Math.sqrt(grad2)));
            out.add(new LayerStat(name, LayerStat.WEIGHT_NORM, Math.sqrt(weight2)));
            if (weight2 > 0) out.add(new LayerStat(name, LayerStat.UPDATE_RATIO, Math.sqrt(delta2 / weight2)));
        }
        pending = null;
        return out;
    }

    private void activationStats(int i, Activation act, Tensor y) {
        String name = names.get(i);
        int n = y.rows();
        int units = y.rank() >= 2 ? y.dim(1) : 1;
        int inner = n == 0 || units == 0 ? 0 : y.size() / (n * units);
        float[] d = y.data;
        int o = y.offset, size = y.size();
        if (act.reluFamily()) {
            if (alive[i] == null || alive[i].length != units) alive[i] = new boolean[units];
            boolean[] on = alive[i];
            Arrays.fill(on, false);
            for (int s = 0; s < n; s++) {
                for (int u = 0; u < units; u++) {
                    if (on[u]) continue;
                    int base = o + (s * units + u) * inner;
                    for (int k = 0; k < inner; k++) {
                        if (!act.inactive(d[base + k])) {
                            on[u] = true;
                            break;
                        }
                    }
                }
            }
            int dead = 0;
            for (boolean a : on) if (!a) dead++;
            pending.add(new LayerStat(name, LayerStat.DEAD_FRACTION, (double) dead / units));
        } else {
            int saturated = 0;
            for (int k = 0; k < size; k++) if (act.saturated(d[o + k])) saturated++;
            pending.add(new LayerStat(name, LayerStat.SATURATION, (double) saturated / size));
        }
        double sum = 0;
        for (int k = 0; k < size; k++) sum += d[o + k];
        double mean = sum / size;
        // Two passes: the one-pass E[y^2] - mean^2 cancels badly when outputs sit far from 0 (sigmoid near 1).
        double sq = 0;
        for (int k = 0; k < size; k++) {
            double c = d[o + k] - mean;
            sq += c * c;
        }
        pending.add(new LayerStat(name, LayerStat.ACT_MEAN, mean));
        pending.add(new LayerStat(name, LayerStat.ACT_STD, Math.sqrt(sq / size)));
    }
}
