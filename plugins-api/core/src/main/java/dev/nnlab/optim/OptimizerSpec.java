package dev.nnlab.optim;

import java.util.List;

/**
 * An optimizer's configuration: its name and every hyperparameter any optimizer reads. Fields an
 * optimizer does not use are ignored (Adam ignores {@code momentum}). Start from
 * {@link #defaults(String, float)}, which fills PyTorch's defaults for that name, then override.
 *
 * <p>Validated on construction; a message names the optimizer, the field, the value and the
 * allowed range, e.g. {@code optimizer 'adam': beta2 = 1.0 is outside [0, 1)}.
 *
 * @param name        "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam" or "adamw"
 * @param lr          base learning rate, {@code >= 0}
 * @param momentum    SGD momentum {@code mu} in [0, 1) ({@link Sgd#MOMENTUM}); 0 is plain SGD, also for "momentum" and "nesterov"
 * @param weightDecay L2 coefficient, {@code >= 0}; decoupled for "adamw", added to the gradient for the rest
 * @param beta1       Adam's first-moment decay, [0, 1)
 * @param beta2       Adam's second-moment decay, [0, 1)
 * @param alpha       RMSprop's squared-gradient decay, [0, 1) (PyTorch's name for it)
 * @param eps         denominator guard of Adagrad, RMSprop and Adam, {@code > 0}
 */
public record OptimizerSpec(String name, float lr, float momentum, float weightDecay, float beta1, float beta2,
                            float alpha, float eps) {
    /** Every name {@link Optimizers#create} accepts. */
    public static final List<String> NAMES = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");

    public OptimizerSpec {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("optimizer = '" + name + "' is not one of " + NAMES);
        String owner = "optimizer '" + name + "'";
        GroupedOptimizer.LR.require(owner, "lr", lr);
        Sgd.MOMENTUM.require(owner, "momentum", momentum);
        GroupedOptimizer.WEIGHT_DECAY.require(owner, "weightDecay", weightDecay);
        Adam.BETA.require(owner, "beta1", beta1);
        Adam.BETA.require(owner, "beta2", beta2);
        RmsProp.ALPHA.require(owner, "alpha", alpha);
        GroupedOptimizer.EPS.require(owner, "eps", eps);
    }

    /**
     * PyTorch's defaults for {@code name}: momentum 0.9 for "momentum"/"nesterov" (0 for "sgd"),
     * betas (0.9, 0.999), alpha 0.99, eps 1e-10 for Adagrad and 1e-8 otherwise, weight decay 0
     * except 0.01 for "adamw".
     */
    public static OptimizerSpec defaults(String name, float lr) {
        if (!NAMES.contains(name)) throw new IllegalArgumentException("optimizer = '" + name + "' is not one of " + NAMES);
        float momentum = name.equals("momentum") || name.equals("nesterov") ? 0.9f : 0f;
        float weightDecay = name.equals("adamw") ? 0.01f : 0f;
        float eps = name.equals("adagrad") ? Adagrad.DEFAULT_EPS : Adam.DEFAULT_EPS;
        return new OptimizerSpec(name, lr, momentum, weightDecay, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2,
                RmsProp.DEFAULT_ALPHA, eps);
    }

    public OptimizerSpec withLr(float v) { return new OptimizerSpec(name, v, momentum, weightDecay, beta1, beta2, alpha, eps); }
    public OptimizerSpec withMomentum(float v) { return new OptimizerSpec(name, lr, v, weightDecay, beta1, beta2, alpha, eps); }
    public OptimizerSpec withWeightDecay(float v) { return new OptimizerSpec(name, lr, momentum, v, beta1, beta2, alpha, eps); }
    public OptimizerSpec withBetas(float b1, float b2) { return new OptimizerSpec(name, lr, momentum, weightDecay, b1, b2, alpha, eps); }
    public OptimizerSpec withAlpha(float v) { return new OptimizerSpec(name, lr, momentum, weightDecay, beta1, beta2, v, eps); }
    public OptimizerSpec withEps(float v) { return new OptimizerSpec(name, lr, momentum, weightDecay, beta1, beta2, alpha, v); }
}
