package dev.nnlab.nn;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

import java.util.List;

/**
 * One layer: a forward pass, a backward pass, and its parameters.
 *
 * <p>Life cycle: {@link #build} once (declare parameters, infer the output shape), then
 * {@link #bind} to the allocated {@link Parameters}, then {@link #initialize}. Then any number of
 * {@code forward}/{@code backward} pairs.
 *
 * <p>Contract (checked for every layer by {@code LayerContractTest}):
 * <ul>
 *   <li>{@code forward(x)} takes {@code x} of shape {@code (N, inputShape...)} and returns
 *       {@code (N, outputShape...)}. It keeps exactly what backward needs. The returned tensor is
 *       owned by the layer and reused by the next call (for a smaller N as a view of the same array): copy it to keep it.</li>
 *   <li>{@code backward(dy)} follows the most recent training-mode forward, returns
 *       {@code dL/dx} (also layer-owned), and <em>adds</em> {@code dL/dparam} into
 *       {@link Parameters#grads}. Zeroing is the caller's one explicit step.</li>
 *   <li>{@code training = false} is evaluation mode: dropout off, batch norm on running statistics.</li>
 * </ul>
 *
 * <p>Stability: stable for plugin authors; grows only by default methods.
 */
public interface Layer {

    /**
     * Declares this layer's parameters, named {@code name + ".weight"} and so on, and returns the
     * per-sample output shape for the per-sample {@code inputShape} (both without N).
     */
    int[] build(String name, int[] inputShape, Parameters.Builder params);

    /** Takes views of the allocated parameters declared in {@link #build}. */
    default void bind(Parameters params) {}

    /** Sets initial parameter values; layers with randomness (dropout) also seed themselves here. */
    default void initialize(Rng rng) {}

    Tensor forward(Tensor x, boolean training);

    Tensor backward(Tensor dy);

    /**
     * {@link #backward} for a caller that has no use for {@code dL/dx} (a network's first layer, whose
     * input is the data): adds {@code dL/dparam} exactly as backward does, and may skip computing dx.
     */
    default void backwardParametersOnly(Tensor dy) { backward(dy); }

    /** Short lower-case kind used in parameter names: "dense", "relu", "batchnorm". */
    String kind();

    /**
     * The layers nested inside this one, in forward order, for a container such as a residual block;
     * empty for a plain layer. Each comes with the name its parameters carry ({@code res1.dense0}) and
     * its output from the most recent forward pass, so that the training monitor can measure and name
     * inner layers as it does top-level ones. Valid after {@link #build}.
     */
    default List<Nested> children() { return List.of(); }

    /** A layer inside a container: its full dotted name, the layer, and its latest output (null before the first forward). */
    record Nested(String name, Layer layer, Tensor lastOutput) {}
}
