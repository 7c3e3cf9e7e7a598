package dev.nnlab.nn.loss;

import dev.nnlab.tensor.Tensor;

/**
 * A scalar training objective over a batch of network outputs.
 *
 * <p>Contract: {@link #forward} returns the loss averaged over the batch and keeps exactly what
 * {@link #backward} needs; {@link #backward} returns {@code dL/doutput} of that forward, already
 * including the averaging (so it can be handed straight to {@code Sequential.backward}). The
 * returned tensor is owned by the loss and reused by the next call with the same shape: copy it
 * to keep it.
 *
 * <p>Stability: stable for plugin authors; grows only by default methods.
 */
public interface Loss {

    /**
     * The loss of {@code output} of shape {@code (N, C)} against one class label per sample,
     * {@code labels.length == N}, each in {@code [0, C)} (in {@code {0, 1}} for a one-logit binary loss).
     */
    float forward(Tensor output, int[] labels);

    /** {@code dL/doutput} of the most recent forward, shape {@code (N, C)}. */
    Tensor backward();

    /** The configuration name: "cross_entropy", "hinge", "mse", "bce". */
    String name();
}
