package dev.nnlab.nn.init;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/**
 * Xavier/Glorot (Glorot and Bengio 2010): variance 2 / (fanIn + fanOut), a compromise that keeps
 * both forward activations and backward gradients at constant variance through linear or tanh
 * units. Normal: std = sqrt(2 / (fanIn + fanOut)); uniform: limit = sqrt(6 / (fanIn + fanOut)),
 * the uniform distribution with that same variance.
 *
 * <p>Stability: stable for plugin authors.
 */
public record Xavier(boolean uniform) implements Initializer {

    @Override
    public void fill(Tensor w, int fanIn, int fanOut, Rng rng) {
        if (fanIn <= 0 || fanOut <= 0) {
            throw new IllegalArgumentException("xavier needs positive fans, got fanIn " + fanIn + ", fanOut " + fanOut);
        }
        if (uniform) {
            new Uniform(Math.sqrt(6.0 / (fanIn + fanOut))).fill(w, fanIn, fanOut, rng);
        } else {
            new Gaussian(Math.sqrt(2.0 / (fanIn + fanOut))).fill(w, fanIn, fanOut, rng);
        }
    }
}
