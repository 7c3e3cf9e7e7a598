package dev.nnlab.store;

/**
 * One statistic of one layer at one step, e.g. {@code (step 500, "dense1", "dead_relu_fraction", 0.12)}.
 */
public record LayerStat(long runId, long step, String layer, String stat, double value)
        implements Observation {
}
