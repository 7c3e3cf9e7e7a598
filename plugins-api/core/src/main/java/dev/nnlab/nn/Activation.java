package dev.nnlab.nn;

/**
 * A parameter-free or nearly parameter-free non-linearity whose outputs the training monitor
 * inspects: dead units for the ReLU family, saturation for sigmoid and tanh.
 *
 * <p>Stability: stable for plugin authors.
 */
public interface Activation extends Layer {

    /**
     * True for ReLU, LeakyReLU, PReLU, ELU, Maxout: units judged by the sign of their output. The
     * training monitor counts a unit as having fired when it output {@code y > 0} for some sample.
     */
    default boolean reluFamily() { return false; }

    /**
     * True when a unit that never fires is dead: its output is exactly 0 on the inactive side, so
     * it passes no gradient and nothing can revive it (ReLU; LeakyReLU and PReLU only while their
     * negative slope is 0). The monitor reports {@code dead_fraction} for these and
     * {@code negative_fraction} for the other ReLU-family units, which still pass gradient.
     */
    default boolean canDie() { return false; }

    /**
     * The axis of the per-sample output shape that indexes units: 0 for the features of
     * {@code (N, F)} and the channels of {@code (N, C, H, W)}. A unit fires if it fires at any
     * position of the other axes.
     */
    default int unitAxis() { return 0; }

    /**
     * True when output {@code y} sits where the derivative is nearly 0, so the unit barely learns:
     * sigmoid outside (0.05, 0.95), tanh with |y| > 0.95. Non-saturating activations return false.
     */
    default boolean saturated(float y) { return false; }

    /**
     * True when output {@code y} is on the unit's inactive side. ReLU: {@code y == 0}; LeakyReLU/PReLU/ELU:
     * {@code y <= 0} (the negative side carries a vanishing or small slope). The training monitor uses the
     * equivalent vectorised test {@code y > 0} for "fired", which is {@code !inactive(y)} for all of these.
     */
    default boolean inactive(float y) { return y <= 0f; }
}
