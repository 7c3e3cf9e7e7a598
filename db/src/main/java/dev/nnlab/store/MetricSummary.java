package dev.nnlab.store;

/**
 * The digest of one learning curve, kept current as points arrive.
 *
 * @param last     the value at the greatest step (NaN if that value was NaN)
 * @param lastStep that step
 * @param min      the smallest value, ignoring NaN (NaN if every value was NaN)
 * @param max      the largest value, ignoring NaN
 * @param count    how many points, NaN ones included
 */
public record MetricSummary(long runId, String key, double last, long lastStep, double min, double max,
                            long count) {
}
