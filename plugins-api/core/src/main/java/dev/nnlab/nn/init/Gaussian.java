package dev.nnlab.nn.init;

import dev.nnlab.nn.Range;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/**
 * N(0, std^2), independent of the fans. std 0.01 is the classic small-weights choice (Krizhevsky
 * et al. 2012); std 1.0 shows what happens without scaling.
 */
public record Gaussian(double std) implements Initializer {
    /** 0 gives all-zero weights (the symmetric start the lessons warn about), so it is allowed. */
    public static final Range STD = Range.atLeast(0);

    public Gaussian {
        STD.require("gaussian init", "std", std);
    }

    @Override
    public void fill(Tensor w, int fanIn, int fanOut, Rng rng) {
        float[] d = w.data;
        for (int i = w.offset, end = w.offset + w.size(); i < end; i++) d[i] = (float) (std * rng.nextGaussian());
    }
}
