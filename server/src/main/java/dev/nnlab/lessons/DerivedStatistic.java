package dev.nnlab.lessons;

import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Statistics a lesson computes from what a run recorded, where no single recorded series says it.
 * Each is one number per run, or (for {@link #series}) a series read {@code at} like a metric's.
 * The formulas are the README's "derived statistics"; {@code DerivedStatisticTest} checks each on
 * hand-computed values.
 */
public enum DerivedStatistic {
    /**
     * The noise of the training loss from one logged point to the next: half the mean squared
     * successive difference {@code sum (L[k+1] - L[k])^2 / (2 (n - 1))} of the {@code train_loss}
     * points logged every {@code logEvery} steps (the von Neumann estimator: for a loss that moves
     * slowly under its noise it is the noise's variance). With {@code logEvery} 1, the batch loss of
     * every step.
     */
    TRAIN_LOSS_STEP_VAR("train_loss_step_var", false, false),
    /** {@code train_eval_acc - val_acc} at each epoch end: how much better the training samples are classified. */
    TRAIN_VAL_ACC_GAP("train_val_acc_gap", true, false),
    /** {@code val_loss - train_eval_loss} at each epoch end. */
    TRAIN_VAL_LOSS_GAP("train_val_loss_gap", true, false),
    /**
     * {@code grad_norm} of the first layer with trainable parameters over that of the last one, at
     * each measured step (top-level layers only: a container's inner layers are left out).
     */
    FIRST_LAST_GRAD_RATIO("first_last_grad_ratio", true, false),
    /** The epoch whose end had the lowest {@code val_loss} (the first of equal ones). */
    VAL_LOSS_ARGMIN_EPOCH("val_loss_argmin_epoch", false, false),
    /** The last epoch the run trained (early stopping ends a run before its {@code epochs}). */
    STOP_EPOCH("stop_epoch", false, false),
    /** {@code kept_epoch - val_loss_argmin_epoch}: 0 when the run ends with the parameters of its validation minimum. */
    KEPT_EPOCH_AFTER_VAL_MIN("kept_epoch_after_val_min", false, false),
    /**
     * 1 when the run diverged (ended DIVERGED), or finished with its last logged {@code train_loss}
     * at least {@value #STALLED_SHARE} of its {@code initial_loss} (it stalled: the loss fell by less
     * than a tenth); else 0. The one statistic read from DIVERGED runs; a group's mean is the share of
     * its runs that diverged or stalled.
     */
    DIVERGED_OR_STALLED("diverged_or_stalled", false, true);

    /** A run whose final training loss is at least this share of its initial loss stalled. */
    public static final double STALLED_SHARE = 0.9;

    public final String id;
    /** True when the statistic is a series (read {@code at} first/last/min/max); else one value per run. */
    public final boolean series;
    /** True when a DIVERGED run has a value (the others are read from FINISHED runs only). */
    public final boolean readsDiverged;

    DerivedStatistic(String id, boolean series, boolean readsDiverged) {
        this.id = id;
        this.series = series;
        this.readsDiverged = readsDiverged;
    }

    public static final List<String> NAMES = Arrays.stream(values()).map(d -> d.id).toList();

    public static DerivedStatistic of(String name) {
        for (DerivedStatistic d : values()) if (d.id.equals(name)) return d;
        return null;
    }

    /** True for the series whose points are epoch ends (so {@code {"epoch": E}} may select one). */
    public boolean byEpoch() {
        return this == TRAIN_VAL_ACC_GAP || this == TRAIN_VAL_LOSS_GAP;
    }

    /** What a run gives: a series of {x, value} points (x an epoch or a step), or one value; or why not. */
    public record Reading(List<double[]> points, String problem) {
        static Reading of(double value) { return new Reading(List.<double[]>of(new double[] {0, value}), null); }
        static Reading missing(String problem) { return new Reading(List.of(), problem); }
    }

    /** Computes the statistic of {@code run}; {@code logEvery} is the run's logging interval (0 if unknown). */
    public Reading read(Store store, Run run, int logEvery) {
        long id = run.id();
        return switch (this) {
            case TRAIN_LOSS_STEP_VAR -> {
                List<Double> losses = new ArrayList<>();
                for (MetricPoint p : store.metrics().series(id, "train_loss")) {
                    // an epoch end between two logged steps is the mean of a shorter window: left out
                    if (logEvery <= 1 || p.step() % logEvery == 0) losses.add(p.value());
                }
                if (losses.size() < 3) yield Reading.missing("logged " + losses.size() + " train_loss points; the step-to-step variance needs at least 3");
                yield Reading.of(stepVariance(losses));
            }
            case TRAIN_VAL_ACC_GAP -> gap(store, id, "train_eval_acc", "val_acc", false);
            case TRAIN_VAL_LOSS_GAP -> gap(store, id, "train_eval_loss", "val_loss", true);
            case FIRST_LAST_GRAD_RATIO -> gradRatio(store, id);
            case VAL_LOSS_ARGMIN_EPOCH -> {
                List<MetricPoint> val = store.metrics().series(id, "val_loss");
                if (val.isEmpty()) yield Reading.missing("recorded no val_loss (no validation set?)");
                yield Reading.of(argminEpoch(val));
            }
            case STOP_EPOCH -> {
                List<MetricPoint> acc = store.metrics().series(id, "train_acc");
                if (acc.isEmpty()) yield Reading.missing("finished no epoch");
                yield Reading.of(Math.round(acc.getLast().epoch()));
            }
            case KEPT_EPOCH_AFTER_VAL_MIN -> {
                List<MetricPoint> kept = store.metrics().series(id, "kept_epoch");
                List<MetricPoint> val = store.metrics().series(id, "val_loss");
                if (kept.isEmpty()) yield Reading.missing("recorded no kept_epoch");
                if (val.isEmpty()) yield Reading.missing("recorded no val_loss (no validation set?)");
                yield Reading.of(kept.getLast().value() - argminEpoch(val));
            }
            case DIVERGED_OR_STALLED -> {
                if (run.status() == RunStatus.DIVERGED) yield Reading.of(1);
                List<MetricPoint> initial = store.metrics().series(id, "initial_loss");
                List<MetricPoint> train = store.metrics().series(id, "train_loss");
                if (initial.isEmpty() || train.isEmpty()) yield Reading.missing("recorded no initial_loss or train_loss");
                yield Reading.of(stalled(initial.getFirst().value(), train.getLast().value()) ? 1 : 0);
            }
        };
    }

    /** Half the mean squared successive difference. */
    static double stepVariance(List<Double> xs) {
        double sum = 0;
        for (int k = 1; k < xs.size(); k++) {
            double d = xs.get(k) - xs.get(k - 1);
            sum += d * d;
        }
        return sum / (2.0 * (xs.size() - 1));
    }

    static boolean stalled(double initialLoss, double finalLoss) {
        return !Double.isFinite(finalLoss) || finalLoss >= STALLED_SHARE * initialLoss;
    }

    /** The epoch of the lowest value; the first of equal ones. */
    static int argminEpoch(List<MetricPoint> points) {
        MetricPoint best = null;
        for (MetricPoint p : points) if (Double.isFinite(p.value()) && (best == null || p.value() < best.value())) best = p;
        return best == null ? -1 : (int) Math.round(best.epoch());
    }

    /** At each epoch end both series have: train minus val, or for losses ({@code lossOrder}) val minus train. */
    private static Reading gap(Store store, long id, String trainKey, String valKey, boolean lossOrder) {
        Map<Long, Double> train = new HashMap<>();
        for (MetricPoint p : store.metrics().series(id, trainKey)) train.put(Math.round(p.epoch()), p.value());
        if (train.isEmpty()) return Reading.missing("recorded no " + trainKey);
        List<double[]> out = new ArrayList<>();
        for (MetricPoint v : store.metrics().series(id, valKey)) {
            Double t = train.get(Math.round(v.epoch()));
            if (t != null) out.add(new double[] {Math.round(v.epoch()), lossOrder ? v.value() - t : t - v.value()});
        }
        if (out.isEmpty()) return Reading.missing("recorded no " + valKey + " at an epoch end with " + trainKey + " (no validation set?)");
        return new Reading(out, null);
    }

    private static Reading gradRatio(Store store, long id) {
        List<String> layers = store.layerStats().latest(id).stream()
                .filter(s -> s.stat().equals(dev.nnlab.training.LayerStat.GRAD_NORM) && !s.layer().contains("."))
                .map(LayerStat::layer).distinct()
                .sorted((a, b) -> Integer.compare(index(a), index(b))).toList();
        if (layers.size() < 2) return Reading.missing("has " + layers.size() + " layer(s) reporting grad_norm; the ratio needs two");
        Map<Long, Double> first = new TreeMap<>();
        for (LayerStat s : store.layerStats().series(id, layers.getFirst(), dev.nnlab.training.LayerStat.GRAD_NORM)) first.put(s.step(), s.value());
        List<double[]> out = new ArrayList<>();
        for (LayerStat s : store.layerStats().series(id, layers.getLast(), dev.nnlab.training.LayerStat.GRAD_NORM)) {
            Double f = first.get(s.step());
            if (f != null && s.value() > 0) out.add(new double[] {s.step(), f / s.value()});
        }
        if (out.isEmpty()) return Reading.missing("has no step where " + layers.getLast() + " had a non-zero gradient");
        return new Reading(out, null);
    }

    static int index(String layer) {
        String digits = layer.replaceAll("^\\D+", "");
        return digits.isEmpty() ? -1 : Integer.parseInt(digits);
    }
}
