package dev.nnlab.store;

import java.util.Arrays;

/**
 * One learning curve in columns, ordered by step: what a chart or an export reads. Columns rather
 * than one record per point, because a comparison view reads a hundred curves of thousands of
 * points each.
 *
 * <p>{@code values[i]} is NaN where the stored value was NaN (a diverged loss). The arrays may be
 * longer than {@link #size()}; only the first {@code size} entries are points.
 */
public record MetricSeries(long runId, String key, int size, long[] steps, double[] epochs, long[] wallTimes,
                           double[] values) {

    /** A growable builder, used while reading rows. */
    static final class Builder {
        private final long runId;
        private final String key;
        private int size;
        private long[] steps;
        private double[] epochs;
        private long[] wallTimes;
        private double[] values;

        Builder(long runId, String key, int expected) {
            this.runId = runId;
            this.key = key;
            int n = Math.max(16, expected);
            steps = new long[n];
            epochs = new double[n];
            wallTimes = new long[n];
            values = new double[n];
        }

        void add(long step, double epoch, long wallTime, double value) {
            if (size == steps.length) {
                int n = size * 2;
                steps = Arrays.copyOf(steps, n);
                epochs = Arrays.copyOf(epochs, n);
                wallTimes = Arrays.copyOf(wallTimes, n);
                values = Arrays.copyOf(values, n);
            }
            steps[size] = step;
            epochs[size] = epoch;
            wallTimes[size] = wallTime;
            values[size] = value;
            size++;
        }

        MetricSeries build() {
            return new MetricSeries(runId, key, size, steps, epochs, wallTimes, values);
        }
    }
}
