package dev.nnlab.bench;

import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records every measured side of a benchmark run as a run of the experiment {@value #EXPERIMENT},
 * through the same store services as training runs: the parameters say what was measured and where
 * (system, version, commit, machine, workload, threads, round, BLAS, vector width), the metrics what
 * came out (throughput, quality, peak RSS, other processes' load). So the runs list and the compare
 * view show nnlab's speed across versions and machines, next to its peers. A side that was refused
 * or failed is recorded as a FAILED run with its reason; a missing one measured nothing and is not a run.
 */
final class BenchRecorder {
    static final String EXPERIMENT = "bench";

    private final Store store;
    private final Machine machine;
    private final int threads;

    BenchRecorder(Store store, Machine machine, int threads) {
        this.store = store;
        this.machine = machine;
        this.threads = threads;
    }

    /** The run's id, or -1 when nothing was recorded (a missing side). */
    long record(Measurement m) {
        if (m.status() == Measurement.Status.MISSING) return -1;
        long experiment = store.experiments().getOrCreate(EXPERIMENT, null).id();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("workload", m.workload());
        params.put("system", m.system());
        if (m.variant() != null) params.put("variant", m.variant());
        params.put("version", version(m));
        if (machine.commit() != null) params.put("commit", machine.commit());
        params.put("nnlab_version", machine.nnlabVersion());
        params.put("machine", machine.label());
        params.put("threads", threads);
        params.put("round", m.round());
        params.put("vector_bits", machine.vectorBits());
        if (m.blas() != null) params.put("blas", m.blas().label());
        Object epochs = m.extra().get("epochs");
        if (epochs != null) params.put("epochs", epochs);
        Provenance provenance = new Provenance(null, null, machine.nnlabVersion(), machine.commit(), 1L, null, null);
        long run = store.runs().create(new NewRun(experiment, m.workload() + " " + m.side() + " round " + m.round(),
                EXPERIMENT, provenance, null, params)).id();
        store.runs().markRunning(run);
        if (!m.ok()) {
            store.runs().finish(run, RunStatus.FAILED, m.status().json() + ": " + m.reason());
            return run;
        }
        try (MetricWriter w = store.newMetricWriter()) {
            w.metric(run, "throughput", 0, 0, m.throughput());
            if (m.quality() != null) w.metric(run, m.qualityUnit() == null ? "quality" : m.qualityUnit(), 0, 0, m.quality());
            if (m.peakRssKib() > 0) w.metric(run, "peak_rss_mib", 0, 0, m.peakRssKib() / 1024.0);
            if (m.usage() != null) {
                w.metric(run, "wall_s", 0, 0, m.usage().wallSeconds());
                w.metric(run, "others_cores", 0, 0, m.usage().othersCores());
            }
            w.flush();
        }
        store.runs().finish(run, RunStatus.FINISHED, null);
        return run;
    }

    /** The measured system's own version: nnlab's, or the peer's main library. */
    private String version(Measurement m) {
        Object v = switch (m.system()) {
            case "nnlab" -> machine.nnlabVersion();
            case "pytorch" -> m.versions().get("torch");
            default -> m.versions().get(m.system());
        };
        return v == null ? "unknown" : v.toString();
    }
}
