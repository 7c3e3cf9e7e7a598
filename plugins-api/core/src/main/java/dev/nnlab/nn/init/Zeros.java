package dev.nnlab.nn.init;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/** All zeros: biases, and the demonstration that zero weights never break symmetry. Draws nothing. Stability: stable for plugin authors. */
public record Zeros() implements Initializer {

    @Override
    public void fill(Tensor w, int fanIn, int fanOut, Rng rng) {
        w.fill(0f);
    }
}
