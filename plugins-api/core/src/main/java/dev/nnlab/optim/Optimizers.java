package dev.nnlab.optim;

import dev.nnlab.nn.Parameters;

import java.util.List;

/**
 * Creates an optimizer from its configuration.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Optimizers {
    private Optimizers() {}

    /** One default group of every trainable entry. */
    public static GroupedOptimizer create(OptimizerSpec spec, Parameters params) {
        return create(spec, params, List.of());
    }

    /**
     * How many arrays as long as the parameters the optimizer {@link #create} builds for {@code spec}
     * keeps as state: none for plain SGD, the velocity for momentum, the squared-gradient sum or
     * average for Adagrad and RMSprop, m and v for Adam. For memory estimates made before building.
     */
    public static int stateArrays(OptimizerSpec spec) {
        return switch (spec.name()) {
            case "sgd", "momentum", "nesterov" -> spec.momentum() > 0f ? 1 : 0;
            case "adagrad", "rmsprop" -> 1;
            case "adam", "adamw" -> 2;
            default -> throw new IllegalArgumentException("optimizer = '" + spec.name() + "' is not one of " + OptimizerSpec.NAMES);
        };
    }

    /** See {@link ParameterGroup} for how {@code groups} select entries. */
    public static GroupedOptimizer create(OptimizerSpec spec, Parameters params, List<ParameterGroup> groups) {
        return switch (spec.name()) {
            case "sgd", "momentum" -> new Sgd(params, groups, spec.lr(), spec.momentum(), false, spec.weightDecay());
            case "nesterov" -> new Sgd(params, groups, spec.lr(), spec.momentum(), true, spec.weightDecay());
            case "adagrad" -> new Adagrad(params, groups, spec.lr(), spec.eps(), spec.weightDecay());
            case "rmsprop" -> new RmsProp(params, groups, spec.lr(), spec.alpha(), spec.eps(), spec.weightDecay());
            case "adam", "adamw" -> new Adam(params, groups, spec.lr(), spec.beta1(), spec.beta2(), spec.eps(),
                    spec.weightDecay(), spec.name().equals("adamw"));
            default -> throw new IllegalArgumentException("optimizer = '" + spec.name() + "' is not one of " + OptimizerSpec.NAMES);
        };
    }
}
