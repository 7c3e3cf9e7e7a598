package dev.nnlab.bench;

import dev.nnlab.catalog.DatasetCatalog;
import dev.nnlab.data.TokenPreparation;
import dev.nnlab.data.TokenStreams;
import dev.nnlab.spi.ModelFamily;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * W5 on the nnlab side: the {@code lstm} family as {@code ./nnlab run lstm --dataset ptb} would run it
 * with its defaults, which are Zaremba et al.'s "small" model (embedding 200, 2 x LSTM 200, decoder
 * 200 -> 10k, uniform(-0.1, 0.1), no dropout, SGD lr 1, clip 5, BPTT 20, batch 20, 1 epoch, the loss
 * summed over a window's steps and averaged over its rows), as the
 * PyTorch script {@code torch_workloads.py} runs it. Only {@code valEvery} differs from a user's run:
 * validation at each epoch's end only, as the PyTorch side evaluates once after its clock stops
 * (mid-epoch validation would sit inside the clock). Layer statistics stay on the default
 * {@code logEvery} cadence, inside the clock.
 *
 * <p>The clock runs from just before {@code family.train} to the epoch's {@code train_acc}, which the
 * loop reports after the last step and before validation ({@link EpochClockSink}). A warm-up run on
 * the first {@value #WARMUP_TOKENS} training tokens (its own model) lets C2 compile the step first.
 * Throughput counts trained (predicted) tokens, as PyTorch's {@code y.numel()} does.
 */
final class LanguageModelWorkload {
    static final String DATASET = "ptb";
    static final int WARMUP_TOKENS = 40_000;
    /** Larger than any epoch of PTB in steps: validation only at the epoch's end. */
    static final int VAL_EVERY = 1_000_000;

    private LanguageModelWorkload() {}

    /**
     * @param trainTokens null for the workload; else only the first this many training tokens are trained on
     *                    (a quick side-by-side check against the PyTorch script's {@code --max-steps}; not a W5 figure)
     */
    static Map<String, Object> w5(Path dataDir, Path pluginsDir, int threads, Integer epochs, String trainTokens, PrintStream log)
            throws Exception {
        ModelFamily family = NnlabWorkloadMain.family(pluginsDir, "lstm");
        Map<String, Object> given = new HashMap<>(Map.of("cell", "lstm", "layers", 2, "hidden", 200, "embedding", 200,
                "bptt", 20, "batchSize", 20, "lr", 1.0, "clipNorm", 5.0, "initRange", 0.1, "valEvery", VAL_EVERY));
        given.put("lossPer", "window");  // Zaremba's objective, in whose units lr 1 and clip 5 are given
        given.put("epochs", epochs == null ? 1 : epochs);
        Map<String, Object> params = family.params().resolve(given, "$.W5");
        int runEpochs = ((Number) params.get("epochs")).intValue();
        log.println("  nnlab: " + family.id() + " " + family.version() + " with " + params);
        TokenStreams data = TokenPreparation.of(params).prepare(new DatasetCatalog(dataDir).entry(DATASET).tokens());
        if (trainTokens != null) {
            int n = Math.min(Integer.parseInt(trainTokens), data.train().length);
            data = new TokenStreams(data.name() + ":first-" + n, data.checksum(), data.level(), data.vocabulary(),
                    Arrays.copyOf(data.train(), n), data.validation(), data.test());
        }
        log.println("  nnlab: " + data.describe());

        Map<String, Object> warm = new HashMap<>(params);
        warm.put("epochs", 1);
        TokenStreams warmData = new TokenStreams(data.name() + ":warm-up", data.checksum(), data.level(), data.vocabulary(),
                Arrays.copyOf(data.train(), Math.min(WARMUP_TOKENS, data.train().length)), new int[0], new int[0]);
        train(family, new TrainingJob(warm, warmData, null, threads), new Dropping());

        TrainingJob job = new TrainingJob(params, data, null, threads);
        EpochClockSink sink = new EpochClockSink(runEpochs, log);
        sink.start();
        TrainResult result = train(family, job, sink);
        if (result.outcome() != TrainResult.Outcome.FINISHED) {
            throw new IllegalStateException("W5: the lstm run ended " + result.outcome() + (result.message() == null ? "" : ": " + result.message()));
        }
        double tokens = sink.recorded().last("tokens");
        double throughput = tokens / (sink.trainingNanos() / 1e9);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("throughput", Math.round(throughput * 10) / 10.0);
        out.put("unit", "tokens/s");
        out.put("quality", Math.round(sink.recorded().last("val_ppl") * 100) / 100.0);
        out.put("quality_unit", "val_perplexity");
        out.put("wall_s", sink.usage().wallSeconds());
        out.put("cpu_self_s", sink.usage().selfCpuSeconds());
        out.put("cpu_busy_s", sink.usage().busyCpuSeconds());
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("epochs", runEpochs);
        extra.put("dataset", data.name());
        extra.put("timed_tokens", (long) tokens);
        extra.put("vocabulary", data.vocabulary().size());
        extra.put("kernel_threads", sink.kernelThreads());
        extra.put("job_threads", job.threads());
        extra.put("warmup_tokens", warmData.train().length);
        out.put("extra", extra);
        out.put("versions", Map.of("family", family.id() + " " + family.version(), "java", Runtime.version().toString(),
                "vector_bits", VectorBits.used()));
        return out;
    }

    private static TrainResult train(ModelFamily family, TrainingJob job, RunSink sink) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(family.getClass().getClassLoader());
        try {
            return family.train(job, sink);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** Receives everything and keeps nothing: the warm-up run. */
    private static final class Dropping implements RunSink {
        @Override public void metric(String key, long step, double epoch, double value) {}
        @Override public void layerStat(long step, String layer, String stat, double value) {}
        @Override public void event(long step, Severity severity, String code, String message, String hint) {}
    }
}
