package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;

/**
 * A loss that also accepts a full target tensor instead of class labels: regression targets for
 * MSE, multi-label 0/1 (or soft) targets for BCE, target distributions for cross-entropy.
 *
 * <p>Stability: stable for plugin authors; grows only by default methods.
 */
public interface DenseTargetLoss extends Loss {

    /** The loss of {@code output} against {@code target}, both of shape {@code (N, C)}. */
    float forward(Tensor output, Tensor target);
}
