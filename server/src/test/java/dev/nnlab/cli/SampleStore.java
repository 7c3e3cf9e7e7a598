package dev.nnlab.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nnlab.store.Experiment;
import dev.nnlab.store.LayerStat;
import dev.nnlab.store.MetricPoint;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Observation;
import dev.nnlab.store.Provenance;
import dev.nnlab.store.RunEvent;
import dev.nnlab.store.RunStatus;
import dev.nnlab.store.Store;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small store written directly through the store API (no training), with values chosen so that
 * every expected number in the tests can be read off this file:
 *
 * <pre>
 * experiment   run    name                    lr      optimizer  status    val_acc points     best val_acc
 * sweep-a      adam   lr=0.001                0.001   adam       FINISHED  0.80 0.95 0.93     0.95
 * sweep-a      sgd    lr=0.1                  0.1     sgd        DIVERGED  0.50 0.70          0.70
 * sweep-a      quoted lr=0.005, "tricky"      0.005   adam       RUNNING   0.92               0.92
 * other        tiny   tiny lr                 0.0001  sgd        QUEUED    0.60               0.60
 * </pre>
 * The adam run holds two artifacts: {@code confusion_matrix.json} ({@link #CONFUSION}) and
 * {@code notes.txt} ("hello", 5 bytes).
 */
record SampleStore(Path db, long adam, long sgd, long quoted, long tiny, Map<Long, Integer> points) {

    static final String QUOTED_NAME = "lr=0.005, \"tricky\"";
    static final String HINT = "lower the learning rate or use LeakyReLU";
    static final String CONFUSION = "{\"classes\":[\"a\",\"b\"],\"counts\":[[3,1],[0,4]],\"total\":8}";

    static SampleStore fill(Path db) {
        try (Store store = Store.open(db)) {
            Experiment sweep = store.experiments().getOrCreate("sweep-a", null);
            Experiment other = store.experiments().getOrCreate("other", null);
            Map<Long, Integer> points = new LinkedHashMap<>();

            long adam = run(store, sweep, "lr=0.001", 11, Map.of("lr", 0.001, "optimizer", "adam", "hidden", List.of(128), "epochs", 3));
            List<Observation> a = new ArrayList<>();
            curve(a, adam, "train_loss", 1.0, 0.5, 0.4);
            curve(a, adam, "val_acc", 0.80, 0.95, 0.93);
            curve(a, adam, "val_loss", 0.6, 0.3, 0.35);
            a.add(new MetricPoint(adam, "test_acc", 30, 3, 1_000L, 0.91));
            a.add(new LayerStat(adam, 10, "dense0", "weight_norm", 1.5));
            a.add(new LayerStat(adam, 30, "dense0", "weight_norm", 2.25));
            a.add(new LayerStat(adam, 30, "dense0", "grad_norm", 0.125));
            a.add(new LayerStat(adam, 30, "relu1", "dead_fraction", 0.625));
            a.add(new RunEvent(adam, 20, RunEvent.Level.WARNING, "dead_relu", "62% of relu1 is dead", HINT, 1_000L));
            store.metrics().append(a);
            store.artifacts().put(adam, "confusion_matrix.json", "application/vnd.nnlab.confusion+json",
                    CONFUSION.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            store.artifacts().put(adam, "notes.txt", "text/plain", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            points.put(adam, 10);
            store.runs().markRunning(adam);
            store.runs().finish(adam, RunStatus.FINISHED, null);

            long sgd = run(store, sweep, "lr=0.1", 12, Map.of("lr", 0.1, "optimizer", "sgd", "hidden", List.of(128), "epochs", 3));
            List<Observation> s = new ArrayList<>();
            curve(s, sgd, "train_loss", 2.0, Double.NaN);
            curve(s, sgd, "val_acc", 0.50, 0.70);
            store.metrics().append(s);
            points.put(sgd, 4);
            store.runs().markRunning(sgd);
            store.runs().finish(sgd, RunStatus.DIVERGED, "loss became NaN at step 20");

            long quoted = run(store, sweep, QUOTED_NAME, 13, Map.of("lr", 0.005, "optimizer", "adam", "hidden", List.of(128), "epochs", 3));
            List<Observation> q = new ArrayList<>();
            curve(q, quoted, "val_acc", 0.92);
            store.metrics().append(q);
            points.put(quoted, 1);
            store.runs().markRunning(quoted);

            long tiny = run(store, other, "tiny lr", 14, Map.of("lr", 0.0001, "optimizer", "sgd", "hidden", List.of(64), "epochs", 3));
            List<Observation> t = new ArrayList<>();
            curve(t, tiny, "val_acc", 0.60);
            store.metrics().append(t);
            points.put(tiny, 1);
            return new SampleStore(db, adam, sgd, quoted, tiny, points);
        }
    }

    /** Points at steps 10, 20, 30... (epochs 1, 2, 3...). */
    private static void curve(List<Observation> out, long run, String key, double... values) {
        for (int i = 0; i < values.length; i++) out.add(new MetricPoint(run, key, 10L * (i + 1), i + 1, 1_000L + i, values[i]));
    }

    private static long run(Store store, Experiment e, String name, long seed, Map<String, ?> params) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("family", "mlp");
        config.put("dataset", "spirals");
        config.putObject("split").put("seed", 20240601);
        Provenance p = new Provenance("mlp", "0.1.0", "0.2.0-test", "abc123def", seed, "spirals", "sha256:feedbeef");
        return store.runs().create(new NewRun(e.id(), name, "mlp", p, config, params)).id();
    }

    long runCount() {
        try (Store store = Store.open(db)) {
            return store.runs().count(null);
        }
    }

    /** {@code --db PATH} plus an empty plugins folder, so that no test depends on the built JARs. */
    String[] host(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--db", db.toString(), "--plugins", db.resolveSibling("no-plugins").toString()));
        return all.toArray(String[]::new);
    }
}
