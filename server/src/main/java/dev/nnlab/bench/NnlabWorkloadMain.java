package dev.nnlab.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nnlab.data.LabelledPreparation;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.data.Dataset;
import dev.nnlab.host.LoadedFamily;
import dev.nnlab.host.PluginLoadFailure;
import dev.nnlab.host.PluginRegistry;
import dev.nnlab.kernels.Parallelism;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The nnlab side of one workload, run in a JVM of its own by the harness ({@link NnlabSide}), so
 * that its peak resident set (VmHWM) is the workload's alone, as a peer's process is, and one
 * workload's JIT state or heap cannot help or hurt the next. Prints one result object on stdout in
 * the peer scripts' format ({@link SideResult}); progress goes to stderr.
 *
 * <p>Arguments: {@code --workload W1 --data-dir DIR --plugins DIR --threads N [--epochs E] [--dataset NAME] [--seed S]}
 * ({@code --seed} for every workload but W0 and W5: a seed study, never a reported figure);
 * W3/W4 also take {@code --stop-after B} for a shortened run while optimising ({@link ImageWorkload}).
 * The kernels get exactly {@code --threads}: {@link Parallelism#setThreads} for the process and the
 * training thread's limit, as the trial runner sets it, and the training job carries the same count.
 */
public final class NnlabWorkloadMain {
    /**
     * Steps of W1/W2's warm-up run, on both sides (the PyTorch script gets the same {@code --warmup-steps}).
     * The JVM runs a kernel's vector code unintrinsified (boxed, 10-50x slower) until C2 has compiled it,
     * and a W1 step calls ~20 kernels: after 100 steps the first timed W1 epoch still took 0.7 s where the
     * later ones took 0.1-0.15 s. After 900 steps the loops were compiled, but methods entered once per step
     * (the loss, the accuracy, the bias sums, the small products' drivers) were still C1 code with profiling:
     * C2 takes them after ~5,000 calls, in the timed run's fifth epoch, and the first timed epoch took twice
     * as long as the later ones. 6,300 steps (7 epochs of 900 batches) leave the timed epochs level. PyTorch
     * has nothing to compile; the same count keeps the two sides' set-up alike.
     */
    static final int WARMUP_STEPS = 6_300;
    /** The warm-up's steps run as this many epochs over the first {@code WARMUP_STEPS / WARMUP_EPOCHS} batches. */
    static final int WARMUP_EPOCHS = 7;

    private NnlabWorkloadMain() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception | Error e) {
            // One line the harness shows as the reason this side failed; the trace for whoever digs deeper.
            e.printStackTrace();
            System.err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        }
        // Kernel worker threads and plugin class loaders must not keep the child alive.
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        Map<String, String> a = options(args);
        Workload w = Workload.find(a.get("--workload"));
        if (w == null) throw new IllegalArgumentException("unknown workload " + a.get("--workload"));
        int threads = Integer.parseInt(a.getOrDefault("--threads", "2"));
        Integer epochs = a.containsKey("--epochs") ? Integer.valueOf(a.get("--epochs")) : null;
        Parallelism.setThreads(threads);
        Parallelism.limitCurrentThread(threads);
        Map<String, Object> result = switch (w.id()) {
            case "W0" -> SgemmWorkload.run(threads);
            case "W1", "W2" -> mnist(w.id().equals("W1") ? MnistWorkload.W1 : MnistWorkload.W2, Path.of(a.get("--data-dir")),
                    Path.of(a.get("--plugins")), threads, epochs, a.get("--dataset"),
                    a.containsKey("--seed") ? Integer.valueOf(a.get("--seed")) : null, System.err);
            case "W5" -> LanguageModelWorkload.w5(Path.of(a.get("--data-dir")), Path.of(a.get("--plugins")), threads, epochs,
                    a.get("--train-tokens"), System.err);
            case "W6", "W7", "W6g", "W7g" -> Word2VecWorkload.run(w, Path.of(a.get("--data-dir")), Path.of(a.get("--plugins")), threads, epochs,
                    a.containsKey("--seed") ? Integer.valueOf(a.get("--seed")) : null, System.err);
            case "W3", "W4" -> ImageWorkload.of(w.id()).run(a, threads, epochs, System.err);
            default -> throw new IllegalArgumentException("the nnlab side has no runner for " + w.id());
        };
        result.put("peak_rss_kib", CpuWindow.peakRssKib(Path.of("/proc/self/status")));
        System.out.println(new ObjectMapper().writeValueAsString(result));
        System.out.flush();
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) throw new IllegalArgumentException("expected an option, got " + args[i]);
            m.put(args[i], args[i + 1]);
        }
        return m;
    }

    /**
     * W1/W2: the real family, loaded through the plugin registry as {@code ./nnlab run} loads it. Data
     * decoded and prepared before the clock; a warm-up run of {@value #WARMUP_STEPS}
     * steps on the first samples (its own model, a sink that keeps nothing); then the clock from just before
     * {@code family.train} to the final epoch's {@code train_acc} (see {@link EpochClockSink}): the
     * per-epoch shuffle, model set-up and every step, and no evaluation.
     */
    static Map<String, Object> mnist(MnistWorkload workload, Path dataDir, Path pluginsDir, int threads, Integer epochs,
                                     String dataset, PrintStream log) throws Exception {
        return mnist(workload, dataDir, pluginsDir, threads, epochs, dataset, null, log);
    }

    /** As above with the family's {@code seed} set (the seed studies of W2's accuracy); null keeps the default. */
    static Map<String, Object> mnist(MnistWorkload workload, Path dataDir, Path pluginsDir, int threads, Integer epochs,
                                     String dataset, Integer seed, PrintStream log) throws Exception {
        ModelFamily family = family(pluginsDir, workload.familyId());
        Dataset data = new DatasetCatalog(dataDir).load(dataset == null ? MnistWorkload.DATASET : dataset);
        Map<String, Object> given = new HashMap<>(workload.params());
        if (epochs != null) given.put("epochs", epochs);
        if (seed != null) given.put("seed", seed);
        Map<String, Object> params = family.params().resolve(given, "$." + workload.id());
        int runEpochs = ((Number) params.get("epochs")).intValue();
        log.println("  nnlab: " + family.id() + " " + family.version() + " with " + params);
        LabelledTensors prepared = LabelledPreparation.of(params).prepare(data);
        log.println("  nnlab: " + prepared.describe());
        TrainingJob job = new TrainingJob(params, prepared.train(), prepared.validation(), prepared.test(), null, threads);

        Map<String, Object> warmParams = new HashMap<>(params);
        warmParams.put("epochs", WARMUP_EPOCHS);
        int batch = ((Number) params.get("batchSize")).intValue();
        int warmN = (int) Math.min((long) WARMUP_STEPS / WARMUP_EPOCHS * batch, prepared.train().size());
        // With pixel codes, as the timed run's training part has them: the warm-up compiles the same gather.
        Dataset warmTrain = prepared.train().subset(prepared.train().name() + ":warm-up", range(warmN)).withPixelCodes();
        long warmStart = System.nanoTime();
        train(family, new TrainingJob(warmParams, warmTrain, prepared.validation(), prepared.test(), null, threads), new Dropping());
        double warmSeconds = (System.nanoTime() - warmStart) / 1e9;

        EpochClockSink sink = new EpochClockSink(runEpochs, log);
        sink.start();
        TrainResult result = train(family, job, sink);
        if (result.outcome() != TrainResult.Outcome.FINISHED) {
            throw new IllegalStateException(workload.id() + ": the " + family.id() + " run ended " + result.outcome()
                    + (result.message() == null ? "" : ": " + result.message()));
        }
        double throughput = job.labelled().train().size() * (double) runEpochs / (sink.trainingNanos() / 1e9);
        Map<String, Object> out = result(Math.round(throughput * 10) / 10.0, "samples/s", sink.recorded().last("test_acc"),
                "test_acc", sink.usage());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("epochs", runEpochs);
        extra.put("dataset", prepared.train().name());
        extra.put("train_samples", job.labelled().train().size());
        extra.put("kernel_threads", sink.kernelThreads());
        extra.put("job_threads", job.threads());
        extra.put("warmup_samples", warmN);
        extra.put("warmup_epochs", WARMUP_EPOCHS);
        // What a cold JVM pays once (compiling the kernels) and the timed run leaves out; reported, not hidden.
        extra.put("warmup_s", Math.round(warmSeconds * 1000) / 1000.0);
        out.put("extra", extra);
        out.put("versions", Map.of("family", family.id() + " " + family.version(), "java", Runtime.version().toString(),
                "vector_bits", VectorBits.used()));
        return out;
    }

    static TrainResult train(ModelFamily family, TrainingJob job, RunSink sink) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(family.getClass().getClassLoader());
        try {
            return family.train(job, sink);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    static ModelFamily family(Path dir, String id) {
        PluginRegistry registry = PluginRegistry.load(dir);
        LoadedFamily loaded = registry.family(id);
        if (loaded == null) {
            StringBuilder msg = new StringBuilder("model family '" + id + "' is not in the plugins folder "
                    + dir.toAbsolutePath() + " (found: " + registry.families().keySet() + ")");
            for (PluginLoadFailure f : registry.failures()) msg.append("\n  ").append(f.jar()).append(": ").append(f.reason());
            msg.append("\nBuild the built-in plugin JARs with ./nnlab build");
            throw new IllegalStateException(msg.toString());
        }
        return loaded.family();
    }

    static Map<String, Object> result(double throughput, String unit, Double quality, String qualityUnit,
                                              CpuWindow.Usage usage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("throughput", throughput);
        m.put("unit", unit);
        m.put("quality", quality);
        m.put("quality_unit", qualityUnit);
        m.put("wall_s", usage.wallSeconds());
        m.put("cpu_self_s", usage.selfCpuSeconds());
        m.put("cpu_busy_s", usage.busyCpuSeconds());
        m.put("versions", Map.of("java", Runtime.version().toString(), "vector_bits", VectorBits.used()));
        return m;
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = i;
        return r;
    }

    /** Receives everything and keeps nothing: the warm-up run. */
    static final class Dropping implements RunSink {
        @Override public void metric(String key, long step, double epoch, double value) {}
        @Override public void layerStat(long step, String layer, String stat, double value) {}
        @Override public void event(long step, Severity severity, String code, String message, String hint) {}
    }
}
