package dev.nnlab.ui;

import dev.nnlab.store.Experiment;
import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Observation;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finished runs written straight through the store API (milliseconds, no training), with learning
 * curves given by a formula so that tests can compute by hand what the charts must show.
 */
final class FixtureRuns {
    /** Points of train_loss per run: steps 0 .. STEPS-1, ten steps per epoch. */
    static final int STEPS = 40;
    static final String HTML_NAME = "<img src=x onerror=alert(1)>";
    static final String HTML_HINT = "<b>lower the lr</b>";

    /** The run ids, by role. */
    record Ids(long sgdSeed1, long sgdSeed2, long adam, long htmlNamed) {}

    private FixtureRuns() {}

    /** train_loss of a run at {@code step}: a 1/(1+t) decay times {@code scale}, with a period-3 wiggle for smoothing to flatten. */
    static double trainLoss(double scale, int step) {
        return scale / (1 + 0.1 * step) + 0.05 * ((step % 3) - 1);
    }

    static Ids fill(Store store) {
        Experiment e = store.experiments().getOrCreate("fixture", null);
        long a = run(store, e, "sgd seed 1", params("sgd", 0.1, 1), 2.0, null);
        long b = run(store, e, "sgd seed 2", params("sgd", 0.1, 2), 2.2, null);
        long c = run(store, e, "adam", params("adam", 0.001, 1), 1.5, null);
        long d = run(store, e, HTML_NAME, params("sgd", 0.5, 1), 3.0, HTML_HINT);
        return new Ids(a, b, c, d);
    }

    /** A QUEUED run in the fixture experiment, as another process would create it. */
    static long queued(Store store, String name) {
        Experiment e = store.experiments().getOrCreate("fixture", null);
        return store.runs().create(new NewRun(e.id(), name, "mlp", Provenance.UNKNOWN, null, params("sgd", 0.01, 1))).id();
    }

    private static Map<String, Object> params(String optimizer, double lr, int seed) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("optimizer", optimizer);
        p.put("lr", lr);
        p.put("hidden", List.of(64));
        p.put("seed", seed);
        return p;
    }

    private static long run(Store store, Experiment e, String name, Map<String, Object> params, double scale, String hint) {
        Provenance prov = new Provenance("mlp", "test", "test", null, ((Number) params.get("seed")).longValue(), "spirals", null);
        long id = store.runs().create(new NewRun(e.id(), name, "mlp", prov, null, params)).id();
        store.runs().markRunning(id);
        long t0 = System.currentTimeMillis();
        List<Observation> obs = new ArrayList<>();
        for (int step = 0; step < STEPS; step++) {
            double epoch = step / 10.0;
            obs.add(new MetricPoint(id, "train_loss", step, epoch, t0 + 100L * step, trainLoss(scale, step)));
            obs.add(new MetricPoint(id, "lr", step, epoch, t0 + 100L * step, (Double) params.get("lr")));
            if (step % 10 == 9) {
                obs.add(new MetricPoint(id, "val_loss", step, epoch + 0.1, t0 + 100L * step, trainLoss(scale, step) + 0.1));
                obs.add(new MetricPoint(id, "val_acc", step, epoch + 0.1, t0 + 100L * step, 1 - 0.1 * trainLoss(scale, step)));
            }
            if (step % 10 == 0) obs.add(new LayerStat(id, step, "relu1", "dead_fraction", 0.01 * step));
        }
        if (hint != null) {
            obs.add(new RunEvent(id, 5, RunEvent.Level.WARNING, "dead_relu_50", name + " has dead units", hint, t0 + 500));
        }
        store.metrics().append(obs);
        store.runs().finish(id, RunStatus.FINISHED, null);
        return id;
    }
}
