package dev.nnlab.nn.init;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

/**
 * N(0, std^2), independent of the fans. std 0.01 is the classic small-weights choice (Krizhevsky
 * et al. 2012); std 1.0 shows what happens without scaling.
 */
public record Gaussian(double std) implements Initializer {
    public Gaussian {
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("gaussian std must be finite and >= 0, got " + std);
        }
    }

    @Override
    public void fill(Tensor w, int fanIn, int fanOut, Rng rng) {
        float[] d = w.data;
        for (int i = w.offset, end = w.offset + w.size(); i < end; i++) d[i] = (float) (std * rng.nextGaussian());
    }
}
