package dev.nnlab.nn.init;

import dev.nnlab.nn.Range;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/**
 * uniform(-limit, limit), independent of the fans; LSTM papers (Zaremba et al. 2014) use
 * uniform(-0.1, 0.1) for every weight.
 */
public record Uniform(double limit) implements Initializer {
    public static final Range LIMIT = Range.atLeast(0);

    public Uniform {
        LIMIT.require("uniform init", "limit", limit);
    }

    @Override
    public void fill(Tensor w, int fanIn, int fanOut, Rng rng) {
        float[] d = w.data;
        for (int i = w.offset, end = w.offset + w.size(); i < end; i++) {
            d[i] = (float) ((2.0 * rng.nextDouble() - 1.0) * limit);
        }
    }
}
