package dev.nnlab.nn.loss;

import java.util.List;

/**
 * Creates a loss from its configuration name.
 *
 * <p>Stability: stable for plugin authors.
 */
public final class Losses {
    /** Every name {@link #create} accepts. */
    public static final List<String> NAMES = List.of(
            SoftmaxCrossEntropy.NAME, MulticlassHinge.NAME, MeanSquaredError.NAME, SigmoidBinaryCrossEntropy.NAME,
            SoftmaxMeanSquaredError.NAME);

    private Losses() {}

    /** "cross_entropy", "hinge" (margin 1), "mse", "bce" or "softmax_mse"; anything else is refused, naming the allowed values. */
    public static Loss create(String name) {
        return switch (name) {
            case SoftmaxCrossEntropy.NAME -> new SoftmaxCrossEntropy();
            case MulticlassHinge.NAME -> new MulticlassHinge();
            case MeanSquaredError.NAME -> new MeanSquaredError();
            case SigmoidBinaryCrossEntropy.NAME -> new SigmoidBinaryCrossEntropy();
            case SoftmaxMeanSquaredError.NAME -> new SoftmaxMeanSquaredError();
            case null, default -> throw new IllegalArgumentException(
                    "loss = '" + name + "' is not one of " + NAMES);
        };
    }
}
