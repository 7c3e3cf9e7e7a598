package dev.nnlab.cluster;

import dev.nnlab.runs.TrialListener;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Store;

import java.util.HashMap;
import java.util.Map;

/**
 * The points a worker has stored for one run, passed on to the launching host's listener (its progress
 * bars): on a cluster the trial's own {@code RunSink} lives on the worker, so the store is the only place
 * the coordinator sees a trial advance. Each call forwards only what arrived since the previous one.
 */
final class StoredPointsFeed {
    private final Store store;
    private final long runId;
    private final TrialListener listener;
    /** The last step forwarded, per metric key. */
    private final Map<String, Long> forwarded = new HashMap<>();

    StoredPointsFeed(Store store, long runId, TrialListener listener) {
        this.store = store;
        this.runId = runId;
        this.listener = listener;
    }

    /** Forwards the new points of every curve of the run, curve by curve, each by step. */
    void forwardNew() {
        for (MetricSummary s : store.metrics().summaries(runId)) {
            long after = forwarded.getOrDefault(s.key(), Long.MIN_VALUE);
            if (s.lastStep() <= after) continue;
            for (MetricPoint p : store.metrics().pointsAfter(runId, s.key(), after)) {
                listener.onMetric(runId, p.key(), p.step(), p.epoch(), p.value());
                after = Math.max(after, p.step());
            }
            forwarded.put(s.key(), after);
        }
    }

    /** The run was put back and will be trained again from its start: its old points are gone. */
    void restart() {
        forwarded.clear();
    }
}
