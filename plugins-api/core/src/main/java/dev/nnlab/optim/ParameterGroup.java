package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Range;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A set of parameter entries with its own learning-rate multiplier, weight decay and frozen flag,
 * as PyTorch's parameter groups ({@code torch/optim/optimizer.py}). Fine-tuning (a small lr for a
 * pretrained trunk), frozen layers and no-decay biases are groups, not special cases.
 *
 * <p>An optimizer assigns each trainable entry to the <em>first</em> group whose selector accepts
 * it; entries no group selects form an implicit group named {@value #DEFAULT_NAME} with multiplier
 * 1 and the optimizer's weight decay. Non-trainable entries (batch-norm running statistics) belong
 * to no group and are never touched. A group that selects nothing is an error (a mistyped prefix
 * must not silently train everything at full rate).
 *
 * <p>Stability: stable for plugin authors.
 *
 * @param name         shown in messages and the UI
 * @param selects      which entries belong to the group
 * @param lrScale      multiplies the optimizer's (scheduled) learning rate, {@code >= 0}
 * @param weightDecay  L2 coefficient for this group, or {@code NaN} to use the optimizer's
 * @param frozen       skipped entirely by {@code step()}: no update, no state change, no decay
 */
public record ParameterGroup(String name, Predicate<Parameters.Entry> selects, float lrScale, float weightDecay,
                             boolean frozen) {
    public static final String DEFAULT_NAME = "default";
    /** 0 stops the group's updates while keeping its state moving (unlike {@code frozen}). */
    public static final Range LR_SCALE = Range.atLeast(0);

    public ParameterGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(selects, "selects");
        LR_SCALE.require("parameter group '" + name + "'", "lrScale", lrScale);
        if (!Float.isNaN(weightDecay)) {
            GroupedOptimizer.WEIGHT_DECAY.require("parameter group '" + name + "'", "weightDecay", weightDecay);
        }
    }

    /**
     * The entries of one layer or sub-tree by dotted-name prefix: {@code "dense1"} selects
     * {@code dense1.weight} and {@code dense1.bias} but not {@code dense10.weight}.
     */
    public static ParameterGroup prefix(String prefix) {
        return matching(prefix, e -> e.name().equals(prefix)
                || e.name().startsWith(prefix) && (prefix.endsWith(".") || e.name().charAt(prefix.length()) == '.'));
    }

    /** The name of the group {@link #decayWeightsOnly} builds. */
    public static final String NO_DECAY_NAME = "no_decay";

    /**
     * True for a weight that L2 decay should shrink: an entry named {@code <layer>.weight} (the
     * matrices and kernels that multiply inputs). Biases, batch- and layer-norm {@code gamma}/{@code beta}
     * and PReLU slopes are not weights in this sense.
     */
    public static boolean isWeight(Parameters.Entry e) {
        return e.name().endsWith(".weight");
    }

    /**
     * The groups that make weight decay apply to weights only: one group with decay 0 for every other
     * trainable entry, or no group at all when there is none (a model of bias-free layers).
     *
     * <p>Why (standard practice since Krizhevsky et al. 2012's bias-free decay and Goyal et al. 2017's
     * "no bias decay"; BERT, GPT and timm do the same): L2 decay is a prior that keeps the
     * input-multiplying weights small, which is what limits how sharply a network can fit its
     * training data. A bias or a shift adds no such capacity (one number per unit, not per input), so
     * decaying it regularises nothing and only pulls units towards 0, where ReLUs die. A normalisation
     * gain sets the scale the layer's output is normalised to; shrinking it fights the normalisation
     * instead of the weights, and the layer before it is scale-invariant anyway.
     */
    public static List<ParameterGroup> decayWeightsOnly(Parameters params) {
        boolean any = params.entries().stream().anyMatch(e -> e.trainable() && !isWeight(e));
        return any ? List.of(matching(NO_DECAY_NAME, e -> !isWeight(e)).withWeightDecay(0f)) : List.of();
    }

    /** The entries {@code selects} accepts, e.g. {@code e -> e.name().endsWith(".bias")} for a no-decay group. */
    public static ParameterGroup matching(String name, Predicate<Parameters.Entry> selects) {
        return new ParameterGroup(name, selects, 1f, Float.NaN, false);
    }

    public ParameterGroup withLrScale(float scale) {
        return new ParameterGroup(name, selects, scale, weightDecay, frozen);
    }

    public ParameterGroup withWeightDecay(float decay) {
        return new ParameterGroup(name, selects, lrScale, decay, frozen);
    }

    public ParameterGroup freeze() {
        return new ParameterGroup(name, selects, lrScale, weightDecay, true);
    }

    /** True when the group uses the optimizer's weight decay. */
    public boolean inheritsWeightDecay() { return Float.isNaN(weightDecay); }
}
