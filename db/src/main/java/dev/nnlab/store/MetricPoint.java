package dev.nnlab.store;

/**
 * One point of a learning curve.
 *
 * @param key      the metric, e.g. {@code train_loss}, {@code val_acc}
 * @param step     the optimizer step (x axis)
 * @param epoch    the (fractional) epoch of the step: completed steps / steps per epoch
 * @param wallTime when it was measured, epoch ms
 * @param value    the value; NaN is stored (as SQL NULL) and read back as NaN
 */
public record MetricPoint(long runId, String key, long step, double epoch, long wallTime, double value)
        implements Observation {
}
