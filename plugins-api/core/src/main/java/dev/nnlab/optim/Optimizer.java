package dev.nnlab.optim;

import java.util.Map;

/**
 * Updates {@link dev.nnlab.nn.Parameters#values} from {@link dev.nnlab.nn.Parameters#grads}.
 * State (momentum buffers, Adam moments) is laid out exactly like the parameters, so a step is one
 * flat loop per parameter group and a checkpoint is a handful of arrays.
 *
 * <p>Stability: stable for plugin authors.
 */
public interface Optimizer {

    /** Applies one update using the current gradients; does not zero them. */
    void step();

    /** The base learning rate (a schedule sets it before each step; groups may scale it). */
    float learningRate();

    void setLearningRate(float lr);

    /** Number of {@link #step()} calls so far (Adam's bias correction uses it). */
    long steps();

    /** Named state arrays, each as long as the parameter array ("velocity", "m", "v"...). */
    Map<String, float[]> state();

    /** Restores what {@link #state()} and {@link #steps()} returned, for resuming from a checkpoint. */
    void restore(long steps, Map<String, float[]> state);
}
