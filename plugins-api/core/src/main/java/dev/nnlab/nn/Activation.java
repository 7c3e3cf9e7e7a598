package dev.nnlab.nn;

/**
 * A parameter-free or nearly parameter-free non-linearity whose outputs the training monitor
 * inspects: dead units for the ReLU family, saturation for sigmoid and tanh.
 *
 * <p>Stability: stable for plugin authors.
 */
public interface Activation extends Layer {

    /** True for ReLU, LeakyReLU, PReLU, ELU, Maxout: the units that can die. */
    default boolean reluFamily() { return false; }

    /**
     * True when output {@code y} sits where the derivative is nearly 0, so the unit barely learns:
     * sigmoid outside (0.05, 0.95), tanh with |y| > 0.95. Non-saturating activations return false.
     */
    default boolean saturated(float y) { return false; }

    /**
     * True when output {@code y} counts as "not firing" for the dead-unit statistic. ReLU: {@code y == 0};
     * LeakyReLU/PReLU/ELU: {@code y <= 0} (the negative side carries a vanishing or small slope).
     */
    default boolean inactive(float y) { return y <= 0f; }
}
