package dev.nnlab.lessons;

import dev.nnlab.training.LayerStat;

import java.util.List;
import java.util.Set;

/**
 * What a check measures on one run, and where in the run.
 * <ul>
 *   <li>a metric series ({@link #METRICS}), read {@code at} {@code "first"}, {@code "last"} (default),
 *       {@code "min"}, {@code "max"} or {@code {"epoch": E}}: the series as it stood at the end of epoch E;</li>
 *   <li>a layer statistic ({@link #LAYER_STATS}) of one {@code layer}, read at first/last/min/max over
 *       the measured steps;</li>
 *   <li>a run-level value: {@code initial_loss} (the loss of the first training batch),
 *       {@code initial_objective} (that loss plus the L2 penalty), {@code kept_epoch} or {@code status}
 *       (how the run ended);</li>
 *   <li>a {@link DerivedStatistic} computed from several recorded series.</li>
 * </ul>
 *
 * @param layer a layer name ({@code tanh17}) or {@code last:KIND} / {@code first:KIND}
 *              ({@code last:tanh}: the deepest layer of that kind); null for the other kinds
 * @param relativeTo null, or a second position in the same series: the value is then the ratio
 *              {@code value(at) / value(relativeTo)} of each run (how much it changed in between)
 */
public record Statistic(String name, Kind kind, String layer, At at, At relativeTo) {

    public Statistic(String name, Kind kind, String layer, At at) {
        this(name, kind, layer, at, null);
    }

    public enum Kind { METRIC, LAYER, RUN, DERIVED }

    /** The metric series the training loop reports (SupervisedTraining). */
    public static final List<String> METRICS = List.of("train_loss", "train_acc", "train_eval_loss", "train_eval_acc",
            "val_loss", "val_acc", "test_loss", "test_acc", "lr");
    /** The per-layer statistics LayerMonitor reports. */
    public static final List<String> LAYER_STATS = List.of(LayerStat.DEAD_FRACTION, LayerStat.DEAD_FRACTION_PROBE,
            LayerStat.NEGATIVE_FRACTION, LayerStat.SATURATION, LayerStat.ACT_MEAN,
            LayerStat.ACT_STD, LayerStat.GRAD_NORM, LayerStat.WEIGHT_NORM, LayerStat.UPDATE_RATIO, LayerStat.EFFECTIVE_LR);
    /** Run metrics a family reports once at the end when asked ({@code hessian: true}, HessianAtEnd); read like the metrics. */
    public static final List<String> HESSIAN = List.of("hessian_eig_top1", "hessian_eig_top2", "hessian_eig_top3", "hessian_eig_min", "hessian_negative_share");
    /** What the word2vec family records: its speed per epoch and, once trained, its scores on the evaluation files. */
    public static final List<String> WORD_VECTORS = List.of("epoch_words_per_sec", "analogy_acc", "analogy_rare_acc",
            "wordsim_spearman", "wordsim_rare_spearman", "simlex_spearman", "simlex_rare_spearman");
    public static final String INITIAL_LOSS = "initial_loss";
    public static final String STATUS = "status";
    /** Values a run records once: the first batch's data loss, that loss plus the L2 penalty, the epoch of its final parameters. */
    public static final List<String> RUN_VALUES = List.of(INITIAL_LOSS, "initial_objective", "kept_epoch", STATUS);
    static final Set<String> SELECTORS = Set.of("first", "last", "min", "max");

    /** Where in a series: an end-of-epoch value or a selector over all points. */
    public sealed interface At {
        record Epoch(int epoch) implements At {}
        record Select(String which) implements At {}
    }

    public static Kind kindOf(String name) {
        if (METRICS.contains(name) || HESSIAN.contains(name) || WORD_VECTORS.contains(name)) return Kind.METRIC;
        if (LAYER_STATS.contains(name)) return Kind.LAYER;
        if (RUN_VALUES.contains(name)) return Kind.RUN;
        if (DerivedStatistic.of(name) != null) return Kind.DERIVED;
        return null;
    }

    /** For messages and tables: {@code train_loss at epoch 1}, {@code act_std of tanh17 (last)}. */
    public String describe() {
        String where = switch (at) {
            case At.Epoch(int e) -> " at epoch " + e;
            case At.Select(String w) -> kind == Kind.RUN || (kind == Kind.DERIVED && !DerivedStatistic.of(name).series) ? "" : " (" + w + ")";
        };
        String base = relativeTo == null ? "" : switch (relativeTo) {
            case At.Epoch(int e) -> " relative to epoch " + e;
            case At.Select(String w) -> " relative to " + w;
        };
        return name + (layer == null ? "" : " of " + layer) + where + base;
    }
}
