package dev.nnlab.nn.init;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/**
 * He/MSRA normal (He et al. 2015): std = sqrt(2 / fanIn). ReLU zeroes half of its inputs, which
 * halves the variance per layer; the factor 2 restores it, so deep ReLU stacks neither explode nor
 * vanish at the start of training.
 *
 * <p>Stability: stable for plugin authors.
 */
public record He() implements Initializer {

    @Override
    public void fill(Tensor w, int fanIn, int fanOut, Rng rng) {
        if (fanIn <= 0) throw new IllegalArgumentException("he needs a positive fanIn, got " + fanIn);
        new Gaussian(Math.sqrt(2.0 / fanIn)).fill(w, fanIn, fanOut, rng);
    }
}
