package dev.nnlab.training;

import java.util.List;

/**
 * One per-layer training statistic at one step, e.g. {@code ("relu1", "dead_fraction", 0.375)}.
 * {@link LayerMonitor} produces them; the host stores them and the UI plots them by these names,
 * so the names below are part of the stored format and never change meaning.
 *
 * <p>Stability: stable for plugin authors.
 */
public record LayerStat(String layer, String stat, double value) {

    /**
     * Layers whose units can die (ReLU; LeakyReLU/PReLU with slope 0): share of units (features of
     * {@code (N, F)}, channels of {@code (N, C, H, W)}) that output 0 for every sample (and position)
     * of every training batch since the previous measurement, in [0, 1].
     */
    public static final String DEAD_FRACTION = "dead_fraction";
    /**
     * The same share over a fixed probe of up to 1,000 validation samples in evaluation mode,
     * measured at each epoch end.
     */
    public static final String DEAD_FRACTION_PROBE = "dead_fraction_probe";
    /**
     * The other ReLU-family layers (LeakyReLU, PReLU with a slope, ELU, Maxout): share of units whose
     * output was never positive over the same window. Such units still pass gradient: not dead.
     */
    public static final String NEGATIVE_FRACTION = "negative_fraction";
    /** Activation layers: mean of all outputs in the batch. */
    public static final String ACT_MEAN = "act_mean";
    /** Activation layers: population standard deviation of all outputs in the batch. */
    public static final String ACT_STD = "act_std";
    /** Non-ReLU-family activation layers: share of outputs in the flat, saturated region, in [0, 1]. */
    public static final String SATURATION = "saturation";
    /** Layers with trainable parameters: L2 norm of the gradient over all their trainable entries. */
    public static final String GRAD_NORM = "grad_norm";
    /** Layers with trainable parameters: L2 norm of the values the step started from. */
    public static final String WEIGHT_NORM = "weight_norm";
    /** Layers with trainable parameters: ||p_after - p_before|| / ||p_before|| across one optimizer step. */
    public static final String UPDATE_RATIO = "update_ratio";

    /**
     * Layers with trainable parameters, under an adaptive optimizer (Adagrad, RMSprop): the median per-value
     * step size {@code lr / (sqrt(s) + eps)} of the step, over the values whose accumulated square
     * {@code s} is positive (see {@code GroupedOptimizer.medianEffectiveLr}).
     */
    public static final String EFFECTIVE_LR = "effective_lr";

    /** Every stat name, in the order a layer's records are emitted. */
    public static final List<String> NAMES = List.of(DEAD_FRACTION, DEAD_FRACTION_PROBE, NEGATIVE_FRACTION, SATURATION, ACT_MEAN, ACT_STD, GRAD_NORM, WEIGHT_NORM, UPDATE_RATIO, EFFECTIVE_LR);
}
