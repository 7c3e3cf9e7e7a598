package dev.nnlab.spi;

import dev.nnlab.nn.Range;
import dev.nnlab.optim.GroupedOptimizer;
import dev.nnlab.optim.Sgd;
import dev.nnlab.optim.schedule.ExponentialSchedule;
import dev.nnlab.optim.schedule.InverseTimeSchedule;
import dev.nnlab.optim.schedule.LearningRateSchedule;
import dev.nnlab.optim.schedule.ReduceOnPlateau;
import dev.nnlab.optim.schedule.StepSchedule;
import dev.nnlab.optim.schedule.WarmupSchedule;

import dev.nnlab.data.LabelledPreparation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parameters every family accepts under the same names, so that a sweep over {@code lr} or
 * {@code batchSize} means the same thing for softmax regression and a ResNet. A family starts
 * from {@link #SCHEMA} and adds its own with {@link ParamSchema#with}, which may also override a
 * common default (for example a higher default lr).
 *
 * <p>{@link #SCHEMA} is for families of labelled tensors: the training parameters plus the
 * preparation of {@link DataKind#VECTOR} and {@code IMAGE} ({@code valFraction}, {@code preprocess},
 * {@code trainSamples}). A family of other kinds starts from {@link #schemaFor}, which adds the
 * preparation parameters of exactly the kinds it accepts.
 *
 * <p>Every range is the rule of the constructor the value ends up in ({@code Sgd.MOMENTUM},
 * {@code StepSchedule.GAMMA}...), at most narrowed for practicality, so a value the planner accepts
 * never fails when the run starts. A value that feeds several constructors ({@code lrDecay}) takes the
 * intersection of their rules.
 *
 * <p>Stability: stable; grows by new optional parameters only.
 */
public final class CommonParams {
    private CommonParams() {}

    public static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");
    public static final List<String> PREPROCESSING = LabelledPreparation.PREPROCESSING;
    public static final List<String> SCHEDULES = List.of("constant", "step", "inverse_time", "exponential", "cosine", "plateau");

    /** The parameters of the training loop, whatever the data: optimizer, schedule, epochs, seed, logging. */
    public static final ParamSchema TRAINING = new ParamSchema(List.of(
            ParamSpec.ofChoice("optimizer", "sgd", OPTIMIZERS, "Update rule."),
            ParamSpec.ofFloat("lr", 0.01, "Base learning rate.").within(LearningRateSchedule.BASE_LR.atMost(100)).onLogScale(),
            ParamSpec.ofFloat("momentum", 0.9, "Momentum coefficient of momentum and nesterov; 0 trains as plain SGD "
                    + "(sgd ignores it; RMSProp's decay is separate).").within(Sgd.MOMENTUM),
            ParamSpec.ofInt("batchSize", 64, "Samples per mini-batch.").min(1, true).max(65536, true),
            ParamSpec.ofFloat("weightDecay", 0.0, "L2 penalty coefficient (decoupled for adamw), on weights only: "
                    + "biases and normalisation gains and shifts are not decayed.").within(GroupedOptimizer.WEIGHT_DECAY.atMost(1)),
            ParamSpec.ofInt("epochs", 10, "Passes over the training set.").min(1, true).max(100000, true),
            ParamSpec.ofChoice("schedule", "constant", SCHEDULES, "Learning-rate schedule over epochs."),
            ParamSpec.ofFloat("lrDecay", 0.1, "Schedule factor: gamma of step/exponential, k of inverse_time lr/(1+k t) "
                    + "(plateau always halves).")
                    .within(StepSchedule.GAMMA.intersect(ExponentialSchedule.GAMMA).intersect(InverseTimeSchedule.DECAY)),
            ParamSpec.ofInt("lrStepEpochs", 5, "Step schedule: epochs between decays; plateau: patience.")
                    .within(StepSchedule.STEP_EPOCHS.intersect(ReduceOnPlateau.PATIENCE)),
            ParamSpec.ofFloat("warmupEpochs", 0.0, "Linear learning-rate warm-up in front of the schedule, in epochs.")
                    .within(WarmupSchedule.EPOCHS_OR_NONE.atMost(1000)),
            // 0 is "off"; every positive value is a GradientClipping.MAX_NORM.
            ParamSpec.ofFloat("clipNorm", 0.0, "Clip gradients to this global L2 norm; 0 turns clipping off.").within(Range.atLeast(0)),
            ParamSpec.ofInt("seed", 1, "Seed of initialisation, shuffling and dropout (the data split is fixed per dataset)."),
            ParamSpec.ofInt("logEvery", 50, "Log training loss and layer statistics every this many steps.").min(1, true)));

    /** The training parameters with the preparation of labelled tensors, in the order the launch form shows them. */
    public static final ParamSchema SCHEMA = insertBefore(TRAINING, "seed", LabelledPreparation.PARAMS);

    /** {@link #TRAINING} plus the preparation parameters of every kind in {@code kinds}. */
    public static ParamSchema schemaFor(Set<DataKind> kinds) {
        List<ParamSpec> prep = new ArrayList<>();
        for (DataKind k : DataKind.values()) {
            if (!kinds.contains(k)) continue;
            for (ParamSpec p : k.preparationParams()) if (prep.stream().noneMatch(q -> q.name().equals(p.name()))) prep.add(p);
        }
        return insertBefore(TRAINING, "seed", prep);
    }

    /** The epochs of a resolved configuration (what a progress bar counts to). */
    public static int epochs(Map<String, Object> resolved) {
        Object v = resolved.get("epochs");
        return v instanceof Number n ? n.intValue() : ((Number) TRAINING.spec("epochs").defaultValue()).intValue();
    }

    private static ParamSchema insertBefore(ParamSchema base, String before, List<ParamSpec> more) {
        List<ParamSpec> out = new ArrayList<>();
        for (ParamSpec s : base.specs()) {
            if (s.name().equals(before)) out.addAll(more);
            out.add(s);
        }
        return new ParamSchema(out);
    }
}
