package dev.nnlab.training;

import dev.nnlab.nn.Activation;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.optim.GroupedOptimizer;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-layer health statistics of a {@link Sequential}, measured every {@code everySteps} steps from
 * what the training step already has: the outputs kept by the last forward pass, the gradients of
 * the last backward pass, and the parameters just before and after the optimizer step. On the
 * other steps only {@link #observeBatch} runs: it ORs which ReLU-family units fired into one bit
 * per unit. The extra memory is those bits and one copy of the trainable values, taken on
 * measured steps.
 *
 * <pre>{@code
 * model.forward(x, true); monitor.observeBatch(); ...; model.backward(dy);
 * if (monitor.due(step)) sink.accept(monitor.measureStep(optimizer)); else optimizer.step();
 * ...
 * sink.accept(monitor.probe(fixedValidationSamples));   // at each epoch end
 * }</pre>
 *
 * <p>Layers inside containers (a residual block's body) are measured like top-level ones, under
 * their dotted names ({@code res1.dense0}); see {@link Sequential#allLayers()}.
 *
 * <p>Emitted per layer, in layer order (names in {@link LayerStat}):
 * <ul>
 *   <li>{@link Activation} layers: {@code dead_fraction} (units that {@link Activation#canDie can
 *       die}) or {@code negative_fraction} (the rest of the ReLU family) over the window of every
 *       batch observed since the previous measurement, once that window holds at least
 *       {@code everySteps} batches; {@code saturation} for the others; then {@code act_mean},
 *       {@code act_std} of the current batch. Units lie on {@link Activation#unitAxis}, so a
 *       channel of {@code (N, C, H, W)} fired if it was positive at any sample and position.</li>
 *   <li>layers with trainable parameters (entries named {@code <layer>.*}, taken together, weight and
 *       bias alike): {@code grad_norm}, {@code weight_norm} (before the step) and {@code update_ratio};
 *       the ratio is left out while the weights are all zero, where it has no meaning; under Adagrad or
 *       RMSprop (given to {@link #measureStep}) also {@code effective_lr}, the median per-value step size.</li>
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
    /** Per activation layer name: which units fired since the last measurement, and on the probe. */
    private final Map<String, FiredUnits> window = new HashMap<>(), probed = new HashMap<>();
    /** True when containers hide layers: only then is the nested list built on every step. */
    private final boolean nested;
    private int windowBatches;
    private float[] before;
    private List<LayerStat> pending;
    /** The optimizer of the step being measured, when {@link #measureStep} was given one. */
    private Optimizer stepping;

    public LayerMonitor(Sequential model, int everySteps) {
        if (everySteps < 1) throw new IllegalArgumentException("everySteps = " + everySteps + " must be >= 1");
        this.model = model;
        this.params = model.params();
        this.everySteps = everySteps;
        List<Layer.Nested> all = model.allLayers();
        this.nested = all.size() != model.layers().size();
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

    /**
     * Call after every training-mode forward pass: ORs the units of each ReLU-family layer that
     * fired on this batch into the window that the next measurement reports. Allocates nothing for a
     * model without containers (the layers and outputs are read in place).
     */
    public void observeBatch() {
        boolean any = false;
        if (nested) {
            for (Layer.Nested n : model.allLayers()) any |= observe(window, n.name(), n.layer(), n.lastOutput(), false);
        } else {
            for (int i = 0; i < model.layers().size(); i++) any |= observe(window, model.name(i), model.layer(i), model.lastOutput(i), false);
        }
        if (any) windowBatches++;
    }

    /** ORs the fired units of one layer into {@code into}; true if the layer is one that is watched. */
    private static boolean observe(Map<String, FiredUnits> into, String name, Layer layer, Tensor y, boolean canDieOnly) {
        if (!(layer instanceof Activation act) || !act.reluFamily() || y == null || (canDieOnly && !act.canDie())) return false;
        into.computeIfAbsent(name, k -> new FiredUnits()).observe(y, act.unitAxis());
        return true;
    }

    /**
     * Runs {@code features} through the model in evaluation mode and returns {@code dead_fraction_probe}
     * for each layer whose units can die: the share of its units that fired on none of these samples.
     * Use the same samples every time (see {@link #probeRows}) so that the figures compare across epochs.
     */
    public List<LayerStat> probe(Tensor features) {
        return probe(features, Evaluation.CHUNK);
    }

    /** As {@link #probe(Tensor)}, in forward passes of at most {@code rows} rows. */
    public List<LayerStat> probe(Tensor features, int rows) {
        if (rows < 1) throw new IllegalArgumentException("rows per pass must be positive, got " + rows);
        probed.values().forEach(FiredUnits::reset);
        for (int from = 0; from < features.rows(); from += rows) {
            model.forward(features.slice(from, Math.min(features.rows(), from + rows)), false);
            for (Layer.Nested n : model.allLayers()) observe(probed, n.name(), n.layer(), n.lastOutput(), true);
        }
        List<LayerStat> out = new ArrayList<>();
        for (Layer.Nested n : model.allLayers()) {
            FiredUnits f = probed.get(n.name());
            if (f != null && f.samples() > 0 && n.layer() instanceof Activation act && act.canDie()) {
                out.add(new LayerStat(n.name(), LayerStat.DEAD_FRACTION_PROBE, f.neverFiredFraction()));
            }
        }
        return out;
    }

    /**
     * One layer's dead units on the last {@link #probe}: how many units it has (channels of a
     * convolution's {@code (N, C, H, W)} output, features of a dense one), and which never fired.
     */
    public record DeadUnits(String layer, boolean channels, int units, int[] dead) {}

    /** Per layer whose units can die, in layer order, the units that fired on none of the last probe's samples. */
    public List<DeadUnits> deadUnitsOfLastProbe() {
        List<DeadUnits> out = new ArrayList<>();
        for (Layer.Nested n : model.allLayers()) {
            FiredUnits f = probed.get(n.name());
            if (f == null || f.samples() == 0 || !(n.layer() instanceof Activation act) || !act.canDie()) continue;
            boolean channels = n.lastOutput() != null && n.lastOutput().rank() == 4 && act.unitAxis() == 0;
            out.add(new DeadUnits(n.name(), channels, f.units(), f.neverFired()));
        }
        return out;
    }

    /**
     * The probe: up to {@code max} rows of {@code features} at fixed, evenly spaced indices (so that
     * every part of a set ordered by class is represented), copied once.
     */
    public static Tensor probeRows(Tensor features, int max) {
        int n = features.rows(), k = Math.min(n, max);
        int[] shape = features.shape();
        shape[0] = k;
        Tensor out = Tensor.zeros(shape);
        int row = n == 0 ? 0 : features.size() / n;
        for (int j = 0; j < k; j++) {
            int from = (int) ((long) j * n / k);
            System.arraycopy(features.data, features.offset + from * row, out.data, j * row, row);
        }
        return out;
    }

    /** True on the steps to measure: 0, everySteps, 2 * everySteps, ... */
    public boolean due(long step) { return step % everySteps == 0; }

    /** Measures around one optimizer step: {@link #beforeStep()}, {@code optimizer.step()}, {@link #afterStep()}. */
    public List<LayerStat> measureStep(Optimizer optimizer) {
        beforeStep();
        optimizer.step();
        stepping = optimizer;
        try {
            return afterStep();
        } finally {
            stepping = null;
        }
    }

    /**
     * Call after backward (and after any gradient clipping) and before the optimizer step: reads the
     * activations and gradients and snapshots the trainable values.
     */
    public void beforeStep() {
        if (before == null) before = new float[params.trainableCount()];
        pending = new ArrayList<>();
        // A window shorter than everySteps batches (the first measurement, at step 0) would judge
        // units on one batch: it is carried into the next window instead.
        boolean windowFull = windowBatches >= everySteps;
        int at = 0;
        List<Layer.Nested> all = model.allLayers();
        for (int i = 0; i < all.size(); i++) {
            Layer layer = all.get(i).layer();
            Tensor y = all.get(i).lastOutput();
            if (layer instanceof Activation act && y != null && y.size() > 0) activationStats(i, act, y, windowFull);
            for (Parameters.Entry e : trainable.get(i)) {
                System.arraycopy(params.values, e.offset(), before, at, e.size());
                at += e.size();
            }
        }
        if (windowFull) {
            window.values().forEach(FiredUnits::reset);
            windowBatches = 0;
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
            if (stepping instanceof GroupedOptimizer g) {
                double lr = g.medianEffectiveLr(own);
                if (Double.isFinite(lr)) out.add(new LayerStat(name, LayerStat.EFFECTIVE_LR, lr));
            }
        }
        pending = null;
        return out;
    }

    private void activationStats(int i, Activation act, Tensor y, boolean windowFull) {
        String name = names.get(i);
        float[] d = y.data;
        int o = y.offset, size = y.size();
        if (act.reluFamily()) {
            FiredUnits w = window.get(name);
            if (windowFull && w != null && w.samples() > 0) {
                pending.add(new LayerStat(name, act.canDie() ? LayerStat.DEAD_FRACTION : LayerStat.NEGATIVE_FRACTION,
                        w.neverFiredFraction()));
            }
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
