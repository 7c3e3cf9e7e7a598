package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;

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

    public ParameterGroup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(selects, "selects");
        HyperparameterCheck.nonNegative("parameter group '" + name + "'", "lrScale", lrScale);
        if (!Float.isNaN(weightDecay)) {
            HyperparameterCheck.nonNegative("parameter group '" + name + "'", "weightDecay", weightDecay);
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
