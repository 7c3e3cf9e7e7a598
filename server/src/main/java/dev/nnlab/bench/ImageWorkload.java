package dev.nnlab.bench;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.data.Dataset;
import dev.nnlab.data.LabelledPreparation;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.runs.MemoryBudget;
import dev.nnlab.spi.MemoryEstimate;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Tensor;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The convolutional reference workloads W3 and W4 of WORKLOADS.md on the nnlab side: which family
 * trains them, with which parameters, on which images, and how they are timed. As for W1/W2
 * ({@link MnistWorkload}), everything not named here is the family's default, so the benchmark
 * measures what {@code ./nnlab run} would run.
 *
 * <p>W3 is timed like W1/W2: from just before {@code family.train} to the last epoch's
 * {@code train_acc}. W4 is timed as the PyTorch script times it: over batches 6-45 of the first
 * epoch (after batch norm's and the kernels' first-call costs), then the epoch finishes for the test
 * accuracy. The batches are counted by the shared loop's one {@link RunSink#stopRequested} call per
 * step.
 *
 * @param dataset     the catalog dataset
 * @param padTo       each 28x28 image is zero-padded to padTo x padTo (0: as it is); W4's Fashion-MNIST 32x32
 * @param timedFrom   first timed batch, 1-based; 0 times whole epochs
 * @param timedTo     last timed batch, 1-based
 */
record ImageWorkload(String id, String familyId, String dataset, int padTo, Map<String, Object> params, double target,
                     int timedFrom, int timedTo) {

    /** W3: conv3x3x32 pad 1, ReLU, maxpool 2 - conv3x3x64 pad 1, ReLU, maxpool 2 - fc128, ReLU - fc10, He, Adam 1e-3, batch 64, 2 epochs. */
    static final ImageWorkload W3 = new ImageWorkload("W3", "cnn", "mnist", 0,
            Map.of("layers", "w3", "optimizer", "adam", "lr", 0.001, "batchSize", 64, "epochs", 2,
                    "valFraction", 0.0, "preprocess", "scale"),
            0.986, 0, 0);

    /** W4: ResNet-20 option A on Fashion-MNIST padded to 32x32, SGD 0.1 momentum 0.9 weight decay 5e-4, batch 128, 1 epoch. */
    static final ImageWorkload W4 = new ImageWorkload("W4", "resnet", "fashion-mnist", 32,
            Map.ofEntries(Map.entry("depth", 20), Map.entry("shortcut", "a"), Map.entry("plain", false),
                    Map.entry("optimizer", "momentum"), Map.entry("lr", 0.1), Map.entry("momentum", 0.9),
                    Map.entry("weightDecay", 5e-4), Map.entry("batchSize", 128), Map.entry("epochs", 1),
                    Map.entry("valFraction", 0.0), Map.entry("preprocess", "scale")),
            0.82, 6, 45);

    ImageWorkload {
        params = Map.copyOf(params);
    }

    /** MNIST and Fashion-MNIST: 60,000 training and 10,000 test images, both held as floats once prepared. */
    /** The warm-up run: one epoch on this many samples (100 steps at W3's batch 64, as the peer's 100). */
    static final int WARMUP_SAMPLES = 6_400;
    /** The PyTorch script's warm-up steps for W3 (W4 passes none: the script's default, 100). */
    static final int PEER_WARMUP_STEPS = 900;

    static final long IMAGES = 70_000;
    static final long TRAIN_IMAGES = 60_000;
    /** Beyond data and model: classes, JIT-compiled code's garbage while the kernels warm up, the evaluation's small buffers. */
    static final long SLACK_BYTES = 256L << 20;

    /** True for the workloads this record runs. */
    static boolean has(String id) {
        return id.equals("W3") || id.equals("W4");
    }

    /**
     * The heap nnlab's planner would give this workload, so the bench child runs in it (-Xmx) rather than
     * in the JVM's default of a quarter of the machine, which G1 grows into under load long after the live
     * data stopped growing: the prepared images (train and test, as floats; the training images also as
     * pixel codes) are in use, and the family's {@link MemoryEstimate} must fit {@link MemoryBudget#SHARE} of what is left, as
     * {@code MemoryBudget} checks before a run; plus {@link #SLACK_BYTES}. An estimate that undercounts
     * what training holds makes the run fail with an OutOfMemoryError, so the heap is also a test of the
     * estimate.
     */
    long plannedHeapBytes(ModelFamily family) {
        Map<String, Object> resolved = family.params().resolve(new HashMap<>(params), "$." + id);
        int side = padTo == 0 ? 28 : padTo;
        MemoryEstimate e = family.estimateMemory(resolved, new int[] {1, side, side}, 10);
        // Train and test images as floats, and the training images again as pixel codes (a byte each).
        long data = IMAGES * side * side * Float.BYTES + TRAIN_IMAGES * side * side;
        return data + (long) Math.ceil(e.total() / MemoryBudget.SHARE) + SLACK_BYTES;
    }

    static ImageWorkload of(String id) {
        return switch (id) {
            case "W3" -> W3;
            case "W4" -> W4;
            default -> throw new IllegalArgumentException("no image workload " + id);
        };
    }

    /**
     * Runs the workload: data decoded, padded and prepared before the clock; a warm-up run on the first
     * {@value NnlabWorkloadMain#WARMUP_SAMPLES} samples (its own model); then the timed run.
     */
    Map<String, Object> run(Map<String, String> options, int threads, Integer epochs, PrintStream log) throws Exception {
        Path dataDir = Path.of(options.get("--data-dir")), pluginsDir = Path.of(options.get("--plugins"));
        // A shortened run for iterating on the kernels: times batches 6..B of the first epoch, then stops
        // (no test accuracy). Never a reported figure; the harness does not pass it.
        int stopAfter = options.containsKey("--stop-after") ? Integer.parseInt(options.get("--stop-after")) : 0;
        if (stopAfter != 0 && stopAfter < 6) throw new IllegalArgumentException("--stop-after must be >= 6, got " + stopAfter);
        int from = stopAfter > 0 ? 6 : timedFrom, to = stopAfter > 0 ? stopAfter : timedTo;
        ModelFamily family = NnlabWorkloadMain.family(pluginsDir, familyId);
        Map<String, Object> given = new HashMap<>(params);
        if (epochs != null) given.put("epochs", epochs);
        // A seed study (is one epoch's accuracy robust to the seed, and so to a change of summation order?); the harness never passes it.
        if (options.containsKey("--seed")) given.put("seed", Integer.parseInt(options.get("--seed")));
        Map<String, Object> resolved = family.params().resolve(given, "$." + id);
        int runEpochs = ((Number) resolved.get("epochs")).intValue();
        log.println("  nnlab: " + family.id() + " " + family.version() + " with " + resolved);
        // No local keeps the decoded or the padded images: once prepared (copied and scaled) they are garbage,
        // not 287 MB held to the end of the run (W4).
        LabelledTensors prepared = LabelledPreparation.of(resolved).prepare(padded(new DatasetCatalog(dataDir).load(dataset), padTo));
        log.println("  nnlab: " + prepared.describe());
        TrainingJob job = new TrainingJob(resolved, prepared.train(), prepared.validation(), prepared.test(), null, threads);

        Map<String, Object> warmParams = new HashMap<>(resolved);
        warmParams.put("epochs", 1);
        int warmN = Math.min(WARMUP_SAMPLES, prepared.train().size());
        int[] first = new int[warmN];
        for (int i = 0; i < warmN; i++) first[i] = i;
        // With pixel codes, as the timed run's training part has them: the warm-up compiles the same gather.
        Dataset warmTrain = prepared.train().subset(prepared.train().name() + ":warm-up", first).withPixelCodes();
        NnlabWorkloadMain.train(family, new TrainingJob(warmParams, warmTrain, prepared.validation(), prepared.test(), null,
                threads), new NnlabWorkloadMain.Dropping());
        // The warm-up model's buffers (1.4 GB for W4's ResNet-20 at batch 128) are garbage now; collect them before
        // the timed model allocates its own, as PyTorch frees its scratch model (del) before its timed one, so the
        // peak RSS is one model's, not two. Outside the clock.
        System.gc();

        EpochClockSink epochClock = new EpochClockSink(runEpochs, log);
        BatchClock batchClock = from > 0 ? new BatchClock(epochClock, from, to, stopAfter > 0) : null;
        epochClock.start();
        TrainResult result = NnlabWorkloadMain.train(family, job, batchClock != null ? batchClock : epochClock);
        boolean stoppedAsAsked = stopAfter > 0 && result.outcome() == TrainResult.Outcome.STOPPED;
        if (result.outcome() != TrainResult.Outcome.FINISHED && !stoppedAsAsked) {
            throw new IllegalStateException(id + ": the " + family.id() + " run ended " + result.outcome()
                    + (result.message() == null ? "" : ": " + result.message()));
        }
        int batch = ((Number) resolved.get("batchSize")).intValue();
        double throughput;
        CpuWindow.Usage usage;
        long timedSamples;
        if (batchClock != null) {
            timedSamples = (long) batch * (to - from + 1);
            throughput = timedSamples / (batchClock.nanos() / 1e9);
            usage = batchClock.usage();
        } else {
            timedSamples = (long) job.labelled().train().size() * runEpochs;
            throughput = timedSamples / (epochClock.trainingNanos() / 1e9);
            usage = epochClock.usage();
        }
        Map<String, Object> out = NnlabWorkloadMain.result(Math.round(throughput * 10) / 10.0, "samples/s",
                stoppedAsAsked ? null : epochClock.recorded().last("test_acc"), "test_acc", usage);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("epochs", runEpochs);
        extra.put("dataset", prepared.train().name());
        extra.put("train_samples", job.labelled().train().size());
        extra.put("timed_samples", timedSamples);
        if (batchClock != null) extra.put("timed_batches", from + "-" + to);
        if (stopAfter > 0) extra.put("stopped_after_batches", stopAfter);
        extra.put("kernel_threads", epochClock.kernelThreads());
        extra.put("job_threads", job.threads());
        extra.put("warmup_samples", warmN);
        extra.put("max_heap_mib", Runtime.getRuntime().maxMemory() >> 20);
        out.put("extra", extra);
        out.put("versions", Map.of("family", family.id() + " " + family.version(), "java", Runtime.version().toString(),
                "vector_bits", VectorBits.used()));
        return out;
    }

    /** {@code full} with every H x W image zero-padded to {@code size} x {@code size}, centred (2 pixels a side for 28 to 32). */
    static Dataset padded(Dataset full, int size) {
        if (size == 0) return full;
        int[] s = full.sampleShape();
        int c = s.length == 3 ? s[0] : 1, h = s[s.length - 2], w = s[s.length - 1];
        if (size < h || size < w) throw new IllegalArgumentException("cannot pad " + h + "x" + w + " images to " + size);
        int top = (size - h) / 2, left = (size - w) / 2, n = full.size();
        float[] src = full.features().data, dst = new float[n * c * size * size];
        int srcOff = full.features().offset;
        for (int i = 0; i < n * c; i++) {
            for (int y = 0; y < h; y++) {
                System.arraycopy(src, srcOff + (i * h + y) * w, dst, (i * size + y + top) * size + left, w);
            }
        }
        return new Dataset(full.name() + "-" + size, Tensor.of(dst, n, c, size, size), full.labels(), full.classNames(),
                full.testStart(), full.scale(), full.checksum());
    }

    /**
     * Times batches {@code from..to} (1-based) of the first epoch: the shared loop asks
     * {@link #stopRequested} once after every step, so the k-th call ends batch k. Everything else goes
     * to the epoch clock, which keeps the recorded metrics.
     */
    static final class BatchClock implements RunSink {
        private final EpochClockSink delegate;
        private final int from, to;
        private final boolean stopAtEnd;
        private int steps;
        private long startNanos = -1, endNanos = -1;
        private CpuWindow window;
        private CpuWindow.Usage usage;

        BatchClock(EpochClockSink delegate, int from, int to, boolean stopAtEnd) {
            this.delegate = delegate;
            this.stopAtEnd = stopAtEnd;
            this.from = from;
            this.to = to;
        }

        @Override
        public boolean stopRequested() {
            steps++;
            if (steps == from - 1) {
                window = new CpuWindow();
                startNanos = System.nanoTime();
            } else if (steps == to) {
                endNanos = System.nanoTime();
                usage = window.close();
            }
            return (stopAtEnd && steps >= to) || delegate.stopRequested();
        }

        long nanos() {
            if (endNanos < 0) throw new IllegalStateException("the run ended before batch " + to + " (" + steps + " steps)");
            return endNanos - startNanos;
        }

        CpuWindow.Usage usage() { return usage; }

        @Override public void metric(String key, long step, double epoch, double value) { delegate.metric(key, step, epoch, value); }
        @Override public void layerStat(long step, String layer, String stat, double value) { delegate.layerStat(step, layer, stat, value); }
        @Override public void event(long step, Severity severity, String code, String message, String hint) {
            delegate.event(step, severity, code, message, hint);
        }
        @Override public void artifact(String name, String mediaType, byte[] bytes) { delegate.artifact(name, mediaType, bytes); }
    }
}
