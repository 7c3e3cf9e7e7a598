package dev.nnlab.store;

/** What a training run reports while it trains: the items {@link MetricWriter} queues. */
public sealed interface Observation permits MetricPoint, LayerStat, RunEvent {

    long runId();
}
