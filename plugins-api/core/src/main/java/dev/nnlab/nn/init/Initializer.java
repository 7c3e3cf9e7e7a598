package dev.nnlab.nn.init;

import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

import java.util.Locale;

/**
 * Fills a weight tensor with initial values. {@code fanIn} and {@code fanOut} are the number of
 * inputs feeding one unit and the number of units one input feeds: for a dense layer's (in, out)
 * weight they are {@code in} and {@code out}.
 *
 * <p>Values are drawn in row-major order from {@code rng}, so the same seed gives the same weights.
 *
 * <p>Stability: stable for plugin authors.
 */
public interface Initializer {

    void fill(Tensor w, int fanIn, int fanOut, Rng rng);

    /**
     * The initialiser a configuration names. {@code scale} is the standard deviation for
     * {@code "gaussian"} and the limit a of uniform(-a, a) for {@code "uniform"}; the other names
     * derive their scale from the fans and ignore it.
     *
     * <p>Names (case-insensitive): {@code gaussian} (alias {@code normal}), {@code uniform},
     * {@code xavier} ({@code glorot}, {@code xavier_normal}), {@code xavier_uniform}
     * ({@code glorot_uniform}), {@code he} ({@code msra}, {@code kaiming}, {@code he_normal}),
     * {@code zeros}.
     */
    static Initializer named(String name, double scale) {
        String key = name.trim().toLowerCase(Locale.ROOT);
        return switch (key) {
            case "gaussian", "normal" -> {
                requireScale(name, scale, "std");
                yield new Gaussian(scale);
            }
            case "uniform" -> {
                requireScale(name, scale, "limit");
                yield new Uniform(scale);
            }
            case "xavier", "glorot", "xavier_normal", "glorot_normal" -> new Xavier(false);
            case "xavier_uniform", "glorot_uniform" -> new Xavier(true);
            case "he", "msra", "kaiming", "he_normal" -> new He();
            case "zeros", "zero" -> new Zeros();
            default -> throw new IllegalArgumentException("unknown initializer '" + name
                    + "'; known: gaussian, uniform, xavier, xavier_uniform, he, zeros");
        };
    }

    /** {@link #named(String, double)} for the names that need no scale. */
    static Initializer named(String name) {
        return named(name, Double.NaN);
    }

    private static void requireScale(String name, double scale, String what) {
        if (Double.isNaN(scale)) {
            throw new IllegalArgumentException("initializer '" + name + "' needs a " + what
                    + ", e.g. named(\"" + name + "\", 0.01)");
        }
    }
}
