package dev.nnlab.spi;

import java.util.Locale;

/**
 * What one trial of a family needs on the JVM heap, in bytes by category, computed from its
 * configuration alone (nothing is allocated), so that the host can refuse a configuration that
 * cannot fit before anything is recorded. See {@link ModelFamily#estimateMemory}.
 *
 * @param parameters     the parameter values (trainable and buffers)
 * @param gradients      the gradient array, as long as the parameters
 * @param optimizerState the optimizer's per-parameter arrays (momentum velocity, Adam's m and v)
 * @param activations    one batch of every layer's outputs and input gradients, and the loss buffers
 * @param snapshots      copies the training loop keeps of the parameters (the per-layer monitor's pre-step copy)
 *
 * <p>Stability: stable; grows by new factory methods only.
 */
public record MemoryEstimate(boolean known, long parameters, long gradients, long optimizerState,
                             long activations, long snapshots) {

    /** The family does not estimate its memory: the host checks nothing. */
    public static final MemoryEstimate UNKNOWN = new MemoryEstimate(false, 0, 0, 0, 0, 0);

    public MemoryEstimate {
        if (parameters < 0 || gradients < 0 || optimizerState < 0 || activations < 0 || snapshots < 0) {
            throw new IllegalArgumentException("memory estimates are >= 0 bytes");
        }
    }

    public static MemoryEstimate of(long parameters, long gradients, long optimizerState, long activations, long snapshots) {
        return new MemoryEstimate(true, parameters, gradients, optimizerState, activations, snapshots);
    }

    /** The sum of every category, saturating at Long.MAX_VALUE. */
    public long total() {
        long t = 0;
        for (long b : new long[] {parameters, gradients, optimizerState, activations, snapshots}) {
            t = t > Long.MAX_VALUE - b ? Long.MAX_VALUE : t + b;
        }
        return t;
    }

    /** E.g. "parameters 1.2 GiB + gradients 1.2 GiB + optimizer state 2.4 GiB + activations 3.1 MiB + snapshots 1.2 GiB = 6.0 GiB". */
    public String describe() {
        if (!known) return "unknown";
        return "parameters " + bytes(parameters) + " + gradients " + bytes(gradients) + " + optimizer state "
                + bytes(optimizerState) + " + activations " + bytes(activations) + " + snapshots " + bytes(snapshots)
                + " = " + bytes(total());
    }

    /** Bytes in binary units with one decimal: "512 B", "3.1 MiB", "16.0 GiB". */
    public static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
