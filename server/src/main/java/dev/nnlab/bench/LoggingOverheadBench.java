package dev.nnlab.bench;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.runs.StoreSink;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.RunSink;
import dev.nnlab.data.LabelledPreparation;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.store.MetricWriter;
import dev.nnlab.store.NewRun;
import dev.nnlab.store.Store;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * What recording a run costs the training thread: the same softmax run on the shipped mnist-10k
 * (W1's optimizer settings) once with a sink that drops everything and once through the real
 * path (StoreSink -> batched MetricWriter -> SQLite in WAL mode), alternating, median of 3 each.
 * Measured at the default {@code logEvery} and at the worst case, every step. The store run's
 * time includes the final flush, so nothing still queued is left out.
 */
final class LoggingOverheadBench implements Benchmark {
    static final int ROUNDS = 3;
    /** Long enough (about a second) that the final flush, a fixed cost, does not pass for a per-step cost. */
    static final int EPOCHS = 30;
    static final double TARGET = 0.02;

    @Override public String name() { return "logging"; }

    @Override public String description() {
        return "training-time cost of recording a run in the store (target < 2%), softmax on mnist-10k";
    }

    @Override
    public void run(Context ctx, PrintStream out, PrintStream log) throws Exception {
        LoadedFamily softmax = PluginRegistry.load(ctx.pluginsDir()).family("softmax");
        if (softmax == null) throw new IllegalStateException("the softmax plugin is not built; run ./nnlab build");
        var mnist10k = new DatasetCatalog(ctx.dataDir()).load("mnist-10k");
        for (int logEvery : new int[] {softmax.family().params().spec("logEvery").defaultValue() instanceof Integer d ? d : 50, 1}) {
            Map<String, Object> given = new HashMap<>(Map.of("optimizer", "momentum", "lr", 0.01, "momentum", 0.9,
                    "batchSize", 64, "epochs", EPOCHS, "logEvery", logEvery));
            Map<String, Object> params = softmax.family().params().resolve(given, "$");
            LabelledTensors d = LabelledPreparation.of(params).prepare(mnist10k);
            TrainingJob job = new TrainingJob(params, d.train(), d.validation(), d.test(), null, ctx.threads());
            Path dir = Files.createTempDirectory("nnlab-logging-bench");
            try (Store store = Store.open(dir.resolve("bench.db"))) {
                long experiment = store.experiments().create("logging-bench", null).id();
                train(softmax.family(), job, new Dropping()); // warm-up: JIT, caches
                long[] memory = new long[ROUNDS], stored = new long[ROUNDS];
                long items = 0;
                for (int r = 0; r < ROUNDS; r++) {
                    memory[r] = train(softmax.family(), job, new Dropping());
                    long run = store.runs().create(new NewRun(experiment, "round " + r, "softmax", null, null, Map.of())).id();
                    try (MetricWriter writer = store.newMetricWriter()) {
                        long t0 = System.nanoTime();
                        trainOnly(softmax.family(), job, new StoreSink(run, writer, store.artifacts(), TrialListener.NONE, new AtomicBoolean()));
                        writer.flush();
                        stored[r] = System.nanoTime() - t0;
                        items = writer.writtenItems();
                    }
                }
                double mem = median(memory) / 1e6, st = median(stored) / 1e6;
                double overhead = (st - mem) / mem;
                out.println(String.format(Locale.ROOT, "{\"bench\":\"logging\",\"logEvery\":%d,\"items_per_run\":%d,"
                                + "\"training_ms_memory\":%.1f,\"training_ms_store\":%.1f,\"overhead\":%.4f,\"target\":%.2f}",
                        logEvery, items, mem, st, overhead, TARGET));
                log.printf(Locale.ROOT, "  logEvery %d: %d items per run, %.1f ms without the store, %.1f ms with it: %+.2f%% (%s)%n",
                        logEvery, items, mem, st, 100 * overhead, overhead < TARGET ? "within 2%" : "ABOVE 2%");
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static long train(ModelFamily family, TrainingJob job, RunSink sink) throws Exception {
        long t0 = System.nanoTime();
        trainOnly(family, job, sink);
        return System.nanoTime() - t0;
    }

    private static void trainOnly(ModelFamily family, TrainingJob job, RunSink sink) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(family.getClass().getClassLoader());
        try {
            family.train(job, sink);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static double median(long[] v) {
        long[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Receives everything and keeps nothing: the baseline without any recording. */
    private static final class Dropping implements RunSink {
        @Override public void metric(String key, long step, double epoch, double value) {}
        @Override public void layerStat(long step, String layer, String stat, double value) {}
        @Override public void event(long step, Severity severity, String code, String message, String hint) {}
    }
}
