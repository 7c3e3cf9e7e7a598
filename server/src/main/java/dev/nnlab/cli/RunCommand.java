package dev.nnlab.cli;

import dev.nnlab.runs.BatchService;
import dev.nnlab.runs.TrialListener;
import dev.nnlab.runs.Workbench;
import dev.nnlab.store.LessonVerdict;
import dev.nnlab.store.MetricSummary;
import dev.nnlab.store.Run;
import dev.nnlab.store.RunStatus;
import dev.nnlab.sweep.SpecException;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code ./nnlab run SPEC.json}: an experiment batch, headless. Exit 0 all trained, 1 a trial failed, 2 bad input. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs an experiment batch: grid x random-search trials x seeds, from a JSON spec.",
                "Progress on stderr; a summary table sorted by the best validation metric at the end."})
final class RunCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SPEC.json", description = "The experiment spec (see experiments/).")
    Path specFile;

    @Option(names = "--refine", paramLabel = "EXPERIMENT",
            description = "Instead of a spec: a finer random search around the best region of this earlier experiment (by name).")
    String refine;

    @Option(names = "--metric", paramLabel = "KEY", defaultValue = "val_acc",
            description = "With --refine: the metric whose best runs mark the region (default ${DEFAULT-VALUE}; *_loss ranks lowest first).")
    String refineMetric;

    @Option(names = "--trials", paramLabel = "N", defaultValue = "8",
            description = "With --refine: random-search trials of the finer search (default ${DEFAULT-VALUE}).")
    int refineTrials;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = "Trials trained at once (default ${DEFAULT-VALUE}); kernel threads are shared out between them.")
    int parallel;

    @Mixin
    HostOptions host;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() throws IOException {
        if (parallel < 1 || parallel > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--parallel: " + parallel + " is not allowed; expected 1 to 64");
        }
        if ((specFile == null) == (refine == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either SPEC.json or --refine EXPERIMENT");
        }
        dev.nnlab.cluster.ClusterSettings onCluster = cluster.settings();
        try (Workbench wb = host.open()) {
            String json;
            String source;
            if (refine != null) {
                source = "--refine " + refine;
                json = RefineCommandSupport.refinedSpec(wb, refine, refineMetric, refineTrials);
            } else {
                source = specFile.toString();
                try {
                    json = Files.readString(specFile);
                } catch (NoSuchFileException e) {
                    throw new InputError(specFile + ": no such file");
                }
            }
            BatchService.Batch batch;
            try {
                batch = wb.batches().record(source, wb.batches().plan(source, json));
            } catch (SpecException e) {
                throw new InputError(e.getMessage());
            }
            System.err.printf("experiment %s: %d trial(s) of %s on %s, runs #%d-#%d, store %s%n",
                    batch.experiment().name(), batch.runIds().size(), batch.plan().family().id(), batch.plan().spec().dataset(),
                    batch.runIds().getFirst(), batch.runIds().getLast(), host.store());
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                // Ctrl-C: ask the running trials to stop, so they end STOPPED with their points flushed.
                stop.set(true);
                try {
                    done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            Map<Long, RunStatus> statuses;
            try (Bars bars = new Bars()) {
                if (onCluster == null) {
                    statuses = wb.batches().execute(batch, parallel, bars, stop);
                } else {
                    // On a cluster the workers' slots decide how many trials train at once, not --parallel.
                    try (dev.nnlab.runs.TrialExecutor executor = ClusterOptions.join(onCluster, wb.store())) {
                        statuses = wb.batches().execute(batch, executor, bars, stop);
                    }
                }
            } finally {
                done.countDown();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                return 1;
            }
            List<Long> all = List.copyOf(statuses.keySet());
            System.out.print(summary(wb, all));
            if (!stop.get()) {
                LessonVerdict verdict = wb.lessons().evaluate(batch.experiment().id(), batch.plan().lesson(), all);
                if (verdict != null) System.out.print(LessonsCommand.verdict(verdict));
            }
            long failed = statuses.values().stream().filter(s -> s == RunStatus.FAILED).count();
            if (failed > 0) {
                System.err.println(failed + " trial(s) failed; see ./nnlab runs show ID for the error");
                return 1;
            }
            return 0;
        }
    }

    /** The batch's runs with their best validation results, best first. */
    static String summary(Workbench wb, List<Long> ids) {
        Map<Long, List<MetricSummary>> sums = wb.store().metrics().summaries(ids);
        record Row(Run run, double valAcc, double valLoss, double testAcc, double trainLoss) {}
        List<Row> rows = new ArrayList<>();
        for (long id : ids) {
            Run run = wb.store().runs().get(id).orElseThrow();
            double valAcc = Double.NaN, valLoss = Double.NaN, testAcc = Double.NaN, trainLoss = Double.NaN;
            for (MetricSummary m : sums.getOrDefault(id, List.of())) {
                switch (m.key()) {
                    case "val_acc" -> valAcc = m.max();
                    case "val_loss" -> valLoss = m.min();
                    case "test_acc" -> testAcc = m.last();
                    case "train_loss" -> trainLoss = m.last();
                    default -> { }
                }
            }
            rows.add(new Row(run, valAcc, valLoss, testAcc, trainLoss));
        }
        rows.sort(Comparator.comparingDouble((Row r) -> Double.isNaN(r.valAcc) ? Double.NEGATIVE_INFINITY : r.valAcc).reversed()
                .thenComparingDouble(r -> Double.isNaN(r.valLoss) ? Double.POSITIVE_INFINITY : r.valLoss));
        TextTable t = new TextTable(List.of("run", "status", "best val_acc", "best val_loss", "test_acc", "train_loss", "trial"));
        for (Row r : rows) {
            t.add(List.of("#" + r.run.id(), r.run.status().name(), pct(r.valAcc), num(r.valLoss), pct(r.testAcc), num(r.trainLoss), r.run.name()));
        }
        return t.render();
    }

    static String pct(double v) { return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v); }
    static String num(double v) { return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v); }

    /** One progress bar per running trial (epochs, in hundredths), on stderr. */
    static final class Bars implements TrialListener, AutoCloseable {
        private final Map<Long, ProgressBar> bars = new ConcurrentHashMap<>();

        @Override
        public void onStart(long runId, String label, int epochs) {
            bars.put(runId, new ProgressBarBuilder().setTaskName("#" + runId + " " + label).setInitialMax(epochs * 100L)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" epochs", 100).showSpeed().setMaxRenderedLength(120)
                    .continuousUpdate().build());
        }

        @Override
        public void onMetric(long runId, String key, long step, double epoch, double value) {
            ProgressBar bar = bars.get(runId);
            if (bar == null) return;
            bar.stepTo(Math.round(epoch * 100));
            if (key.equals("val_acc")) bar.setExtraMessage(String.format(Locale.ROOT, "val_acc %.2f%%", 100 * value));
        }

        @Override
        public void onFinish(long runId, RunStatus status, String error) {
            ProgressBar bar = bars.remove(runId);
            if (bar == null) return;
            bar.setExtraMessage(status.name());
            bar.close();
            if (error != null && status != RunStatus.FINISHED) System.err.println("#" + runId + " " + status + ": " + error);
        }

        @Override
        public void onNote(String message) {
            System.err.println(message);
        }

        @Override
        public void close() {
            bars.values().forEach(ProgressBar::close);
        }
    }
}
