package dev.nnlab.bench;

import dev.nnlab.data.Dataset;
import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginLoadFailure;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.data.LabelledPreparation;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.spi.TrainingJob;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * W1/W2: trains the real family, loaded through the plugin registry exactly as {@code ./nnlab run}
 * loads it, on full MNIST, then the same workload on PyTorch when Debian's torch is there.
 *
 * <p>Timing follows the PyTorch figures of WORKLOADS.md: data decoded and prepared once, outside
 * the clock; the clock runs from just before {@code family.train} to the final epoch's
 * {@code train_acc} (see {@link EpochClockSink}), so it holds the per-epoch shuffle, model set-up
 * and every step, and no evaluation.
 */
final class MnistWorkloadBench implements Benchmark {
    private final MnistWorkload workload;
    private final TorchPeer torch;

    MnistWorkloadBench(MnistWorkload workload, TorchPeer torch) {
        this.workload = workload;
        this.torch = torch;
    }

    @Override public String name() { return workload.id(); }

    @Override public String description() { return workload.summary() + "; train samples/s and test accuracy, vs PyTorch"; }

    @Override
    public void run(Context ctx, PrintStream out, PrintStream log) throws Exception {
        Dataset mnist = new DatasetCatalog(ctx.dataDir()).load(MnistWorkload.DATASET);
        String load = MachineLoad.describe();
        if (load != null) log.println("  " + load);
        ModelFamily family = family(pluginsDir());
        Map<String, Object> params = family.params().resolve(workload.params(), "$." + workload.id());
        log.println("  " + family.id() + " " + family.version() + " with " + params);
        LabelledTensors data = LabelledPreparation.of(params).prepare(mnist);
        log.println("  " + data.describe());
        TrainingJob job = new TrainingJob(params, data.train(), data.validation(), data.test(), null, ctx.threads());

        WorkloadResult ours = train(family, job, ctx.threads(), log);
        out.println(ours.toJson());
        out.flush();
        log.printf(Locale.ROOT, "  nnlab: %.0f samples/s, test accuracy %.2f%% (target >= %.1f%%: %s)%n", ours.throughput(),
                100 * ours.quality(), 100 * workload.target(), ours.quality() >= workload.target() ? "met" : "MISSED");

        WorkloadResult peer = torch.run(workload, ctx.dataDir(), ctx.threads(), job.intParam("seed"), log);
        if (peer == null) return;
        out.println(peer.toJson());
        out.println(ours.comparisonJson(peer));
        log.printf(Locale.ROOT, "  nnlab / pytorch: %.2fx throughput, %+.2f points of test accuracy%n",
                ours.throughput() / peer.throughput(), 100 * (ours.quality() - peer.quality()));
    }

    private WorkloadResult train(ModelFamily family, TrainingJob job, int threads, PrintStream log) throws Exception {
        EpochClockSink sink = new EpochClockSink(workload.epochs(), log);
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(family.getClass().getClassLoader());
        TrainResult result;
        try {
            sink.start();
            result = family.train(job, sink);
        } finally {
            t.setContextClassLoader(previous);
        }
        if (result.outcome() != TrainResult.Outcome.FINISHED) {
            throw new IllegalStateException(workload.id() + ": the " + family.id() + " run ended " + result.outcome()
                    + (result.message() == null ? "" : ": " + result.message()));
        }
        double throughput = WorkloadResult.throughput(job.labelled().train().size(), workload.epochs(), sink.trainingNanos());
        return new WorkloadResult(workload.id(), "nnlab", threads, throughput, sink.recorded().last("test_acc"));
    }

    private ModelFamily family(Path dir) {
        PluginRegistry registry = PluginRegistry.load(dir);
        LoadedFamily loaded = registry.family(workload.familyId());
        if (loaded == null) {
            StringBuilder msg = new StringBuilder("model family '" + workload.familyId() + "' is not in the plugins folder "
                    + dir.toAbsolutePath() + " (found: " + registry.families().keySet() + ")");
            for (PluginLoadFailure f : registry.failures()) msg.append("\n  ").append(f.jar()).append(": ").append(f.reason());
            msg.append("\nBuild the built-in plugin JARs with ./nnlab build");
            throw new IllegalStateException(msg.toString());
        }
        return loaded.family();
    }

    /** The installation's plugins folder ({@code -Dnnlab.home}, set by the launcher), else ./plugins. */
    static Path pluginsDir() {
        String home = System.getProperty("nnlab.home");
        return home == null ? Path.of("plugins") : Path.of(home, "plugins");
    }
}
