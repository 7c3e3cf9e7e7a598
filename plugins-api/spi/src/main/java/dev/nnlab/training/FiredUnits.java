package dev.nnlab.training;

import dev.nnlab.kernels.VectorOps;
import dev.nnlab.tensor.Tensor;

import java.util.Arrays;

/**
 * Which units of one activation layer fired (output {@code y > 0}) at least once since the last
 * {@link #reset}: one bit per unit, OR-ed over every batch {@link #observe observed}. A unit whose
 * bit is still clear at the end of a window never fired on any of its samples, which is what
 * CS231n means by a dead ReLU; one batch alone can hide a unit that fires only on rarer inputs.
 *
 * <p>Cheap enough for every training step: the OR runs on what the forward pass already left in
 * memory, one vector compare and one word OR per L outputs ({@link VectorOps#orPositiveBits}),
 * about 1/fan-in of the work of the Dense layer in front, with nothing allocated after the first
 * batch. Once every unit has fired, the rest of the window costs nothing at all.
 */
final class FiredUnits {
    private long[] bits = new long[0];
    private int units = -1;
    private long samples;
    private boolean allFired;

    /**
     * ORs in the units that fire in {@code y}, shape {@code (N, d0, d1, ...)} with the units on
     * per-sample axis {@code axis}: a unit fires if it is positive for some sample and at some
     * position of the other axes.
     */
    void observe(Tensor y, int axis) {
        int n = y.rows();
        if (y.rank() < 2 + axis) throw new IllegalArgumentException("unit axis " + axis + " is outside " + y);
        int outer = 1, inner = 1;
        for (int a = 1; a < 1 + axis; a++) outer *= y.dim(a);
        for (int a = 2 + axis; a < y.rank(); a++) inner *= y.dim(a);
        int u = y.dim(1 + axis);
        if (u != units) {
            units = u;
            bits = new long[(u + 63) >>> 6];
            samples = 0;
            allFired = u == 0;
        }
        samples += n;
        if (allFired) return;
        float[] d = y.data;
        int rows = n * outer;
        if (inner == 1) {
            for (int r = 0; r < rows; r++) VectorOps.orPositiveBits(units, d, y.offset + r * units, bits);
        } else {
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < units; k++) {
                    if ((bits[k >>> 6] & 1L << (k & 63)) != 0) continue;
                    if (VectorOps.anyPositive(inner, d, y.offset + (r * units + k) * inner)) bits[k >>> 6] |= 1L << (k & 63);
                }
            }
        }
        allFired = fired() == units;
    }

    /** Units that fired since the last reset. */
    int fired() {
        int c = 0;
        for (long w : bits) c += Long.bitCount(w);
        return c;
    }

    int units() { return Math.max(units, 0); }

    /** Samples observed since the last reset. */
    long samples() { return samples; }

    /** Share of units that never fired since the last reset, in [0, 1]; NaN before anything was observed. */
    double neverFiredFraction() {
        return units <= 0 || samples == 0 ? Double.NaN : (double) (units - fired()) / units;
    }

    /** The indices of the units that never fired since the last reset, ascending. */
    int[] neverFired() {
        int[] out = new int[units() - fired()];
        for (int k = 0, j = 0; k < units(); k++) if ((bits[k >>> 6] & 1L << (k & 63)) == 0) out[j++] = k;
        return out;
    }

    void reset() {
        Arrays.fill(bits, 0L);
        samples = 0;
        allFired = units == 0;
    }
}
