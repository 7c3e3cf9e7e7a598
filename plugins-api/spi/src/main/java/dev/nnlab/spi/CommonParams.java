package dev.nnlab.spi;

import java.util.List;

/**
 * Parameters every family accepts under the same names, so that a sweep over {@code lr} or
 * {@code batchSize} means the same thing for softmax regression and a ResNet. A family starts
 * from {@link #SCHEMA} and adds its own with {@link ParamSchema#with}, which may also override a
 * common default (for example a higher default lr).
 *
 * <p>Stability: stable; grows by new optional parameters only.
 */
public final class CommonParams {
    private CommonParams() {}

    public static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw");
    public static final List<String> PREPROCESSING = List.of("scale", "center", "standardize", "pca_whiten", "none");
    public static final List<String> SCHEDULES = List.of("constant", "step", "inverse_time", "exponential", "cosine", "plateau");

    public static final ParamSchema SCHEMA = new ParamSchema(List.of(
            ParamSpec.ofChoice("optimizer", "sgd", OPTIMIZERS, "Update rule."),
            ParamSpec.ofFloat("lr", 0.01, "Base learning rate.").min(0, false).max(100, true).onLogScale(),
            ParamSpec.ofFloat("momentum", 0.9, "Momentum coefficient (momentum, nesterov; RMSProp's decay is separate).")
                    .min(0, true).max(1, false),
            ParamSpec.ofInt("batchSize", 64, "Samples per mini-batch.").min(1, true).max(65536, true),
            ParamSpec.ofFloat("weightDecay", 0.0, "L2 penalty coefficient (decoupled for adamw).").min(0, true).max(1, true),
            ParamSpec.ofInt("epochs", 10, "Passes over the training set.").min(1, true).max(100000, true),
            ParamSpec.ofChoice("schedule", "constant", SCHEDULES, "Learning-rate schedule over epochs."),
            ParamSpec.ofFloat("lrDecay", 0.1, "Schedule factor: gamma of step/exponential, k of inverse_time a/(1+k t), "
                    + "factor of plateau.").min(0, false).max(1, true),
            ParamSpec.ofInt("lrStepEpochs", 5, "Step schedule: epochs between decays; plateau: patience.").min(1, true),
            ParamSpec.ofFloat("warmupEpochs", 0.0, "Linear learning-rate warm-up in front of the schedule, in epochs.")
                    .min(0, true).max(1000, true),
            ParamSpec.ofFloat("clipNorm", 0.0, "Clip gradients to this global L2 norm; 0 turns clipping off.").min(0, true),
            ParamSpec.ofFloat("valFraction", 0.1, "Share of the training data held out for validation.").min(0, true).max(0.9, true),
            ParamSpec.ofChoice("preprocess", "scale", PREPROCESSING, "Input preprocessing, fitted on the training part only: "
                    + "scale pixels to [0,1]; center (scale, then subtract the mean); standardize (zero mean, unit variance per "
                    + "feature); pca_whiten (scale, then PCA whitening); none."),
            ParamSpec.ofInt("seed", 1, "Seed of initialisation, shuffling and dropout (the data split is fixed per dataset)."),
            ParamSpec.ofInt("logEvery", 50, "Log training loss and layer statistics every this many steps.").min(1, true)));
}
