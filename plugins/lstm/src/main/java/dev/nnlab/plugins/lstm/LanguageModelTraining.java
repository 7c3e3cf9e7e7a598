package dev.nnlab.plugins.lstm;

import dev.nnlab.data.TokenStreams;
import dev.nnlab.diagnostics.TrainingDiagnostics;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.Recurrent;
import dev.nnlab.nn.layers.OverwritesGradients;
import dev.nnlab.nn.loss.SequenceCrossEntropy;
import dev.nnlab.nn.loss.TokenTotals;
import dev.nnlab.optim.Checkpoint;
import dev.nnlab.optim.GradientClipping;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.optim.schedule.LearningRateSchedule;
import dev.nnlab.spi.EarlyStopping;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.training.BestEpochTracker;
import dev.nnlab.training.CheckpointArtifact;
import dev.nnlab.training.CommonSetup;
import dev.nnlab.training.LayerMonitor;
import dev.nnlab.training.LayerStat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * The training loop of a language model on token streams: windows of {@code bptt} tokens in
 * {@code batchSize} parallel rows, the recurrent state carried from window to window and reset at
 * every epoch and evaluation; forward, cross-entropy (its gradient per window or per token, {@code lossPer}), backward, global-norm clipping
 * (the embedding's touched rows included), optimizer step under the schedule.
 *
 * <p>Metrics count tokens ({@link TokenTotals}): {@code train_loss} (nats per token) every
 * {@code logEvery} steps and per epoch, with {@code train_ppl} at word level or {@code train_bpc}
 * at character level, {@code train_acc} (next-token accuracy), {@code tokens} (tokens trained on so
 * far) and {@code lr}; {@code val_*} per epoch; {@code test_*} once at the end. Per-layer
 * statistics every {@code logEvery} steps: the {@link LayerMonitor} set, and for recurrent layers
 * {@link Recurrent#statistics()} (gate saturation, dL/dh at the window's first and last step).
 */
final class LanguageModelTraining {
    private final TrainingJob job;
    private final RunSink sink;
    private final Sequential model;
    private final TokenStreams data;
    private final int rows, bptt, epochs, logEvery, valEvery, seed;
    private final float clipNorm;
    private final String unit;
    // In place: the decoder's (rows * bptt, vocabulary) logits become their own gradient.
    private final SequenceCrossEntropy loss;

    LanguageModelTraining(TrainingJob job, RunSink sink, Sequential model, TokenStreams data) {
        this.job = job;
        this.sink = sink;
        this.model = model;
        this.data = data;
        this.rows = job.intParam("batchSize");
        this.bptt = job.intParam("bptt");
        this.epochs = job.intParam("epochs");
        this.logEvery = job.intParam("logEvery");
        int v = job.intParam("valEvery");
        this.valEvery = v == 0 ? logEvery : v;
        this.seed = job.intParam("seed");
        this.clipNorm = (float) job.doubleParam("clipNorm");
        this.loss = SequenceCrossEntropy.inPlace(job.stringParam("lossPer").equals("window")
                ? SequenceCrossEntropy.Average.SEQUENCES : SequenceCrossEntropy.Average.TOKENS);
        this.unit = data.level() == TokenStreams.Level.CHARACTER ? "bpc" : "ppl";
    }

    TrainResult run() {
        RecurrentLanguageModel.checkWindow(data, bptt, rows);
        TokenWindows train = new TokenWindows(data.train(), rows, bptt);
        Parameters params = model.params();
        Optimizer optimizer = CommonSetup.optimizer(job, params);
        LearningRateSchedule schedule = CommonSetup.schedule(job);
        int vocab = data.vocabulary().size();
        TrainingDiagnostics diag = new TrainingDiagnostics(sink, Math.log(vocab), "ln(" + vocab + ") for near-uniform predictions");
        LayerMonitor monitor = new LayerMonitor(model, logEvery);
        EarlyStopping early = job.earlyStopping();
        BestEpochTracker stopper = early == null ? null : BestEpochTracker.of(early);
        TextSamples samples = data.level() == TokenStreams.Level.CHARACTER ? new TextSamples(job, model, data) : null;
        int perEpoch = train.count();
        long step = 0, tokens = 0;
        TokenTotals window = new TokenTotals();
        // One backward per zeroGrad: the decoder and the recurrent layers write their gradients (the decoder's
        // is 8 MB in W5) instead of adding them to zeros.
        Set<String> overwritten = new HashSet<>();
        for (Layer l : model.layers()) {
            if (l instanceof OverwritesGradients o) {
                o.overwriteGradients(true);
                overwritten.addAll(o.parameterNames());
            }
        }
        for (int epoch = 1; epoch <= epochs; epoch++) {
            resetStates();
            TokenTotals epochTotals = new TokenTotals();
            for (int w = 0; w < perEpoch; w++) {
                double epochPos = (double) step / perEpoch;
                float lr = schedule.lr(epochPos);
                optimizer.setLearningRate(lr);
                train.load(w);
                float l = loss.forward(model.forward(train.inputs(), true), train.targets());
                if (!diag.onTrainLoss(step, l)) {
                    sink.metric("train_loss", step, epochPos, l);
                    return TrainResult.diverged("loss became " + l + " at step " + step + " (epoch " + epoch + ")");
                }
                window.add(loss);
                epochTotals.add(loss);
                tokens += loss.countedTokens();
                params.zeroGradExcept(overwritten);
                model.backward(loss.backward());
                if (clipNorm > 0) GradientClipping.clipGlobalNorm(params, clipNorm);
                if (monitor.due(step)) {
                    List<LayerStat> stats = monitor.measureStep(optimizer);
                    for (LayerStat s : stats) layerStat(diag, step, s.layer(), s.stat(), s.value());
                    recurrentStats(diag, step);
                } else {
                    optimizer.step();
                }
                step++;
                if (step % logEvery == 0) {
                    report("train", step, (double) step / perEpoch, window);
                    sink.metric("tokens", step, (double) step / perEpoch, tokens);
                    sink.metric("lr", step, (double) step / perEpoch, lr);
                    window = new TokenTotals();
                }
                if (step % valEvery == 0 && w + 1 < perEpoch) validateMidEpoch(step, (double) step / perEpoch);
                if (sink.stopRequested()) return TrainResult.stopped();
            }
            if (window.tokens() > 0) {
                report("train", step, epoch, window);
                window = new TokenTotals();
            }
            sink.metric("tokens", step, epoch, tokens);
            sink.metric("train_acc", step, epoch, epochTotals.accuracy());
            TokenTotals val = evaluate(data.validation());
            if (val != null) {
                report("val", step, epoch, val);
                sink.metric("val_acc", step, epoch, val.accuracy());
                schedule.onValidation(val.meanLoss());
            }
            diag.onEpoch(step, epoch, epochTotals.meanLoss(), val == null ? Double.NaN : val.meanLoss());
            if (samples != null) samples.report(sink, epoch);
            if (stopper != null) {
                stopper.update(epoch, earlyMetric(early.metric(), epochTotals, val), params);
                if (stopper.shouldStop() && epoch < epochs) {
                    sink.event(step, RunSink.Severity.INFO, "early_stopping", "stopped after epoch " + epoch + ": " + early.metric()
                            + " has not improved for " + early.patience() + " epochs; best at epoch " + stopper.bestEpoch(),
                            "The parameters of epoch " + stopper.bestEpoch() + " are kept and evaluated on the test set.");
                    break;
                }
            }
        }
        if (stopper != null && stopper.hasBestValues()) stopper.restoreBest(params);
        TokenTotals test = evaluate(data.test());
        if (test != null) {
            report("test", step, epochs, test);
            sink.metric("test_acc", step, epochs, test.accuracy());
        }
        CheckpointArtifact.report(sink, step, params, Map.of(Checkpoint.EPOCH, (long) epochs, Checkpoint.STEP, step, Checkpoint.SEED, (long) seed));
        return TrainResult.finished();
    }

    /**
     * Validation between two training windows: the training state is put aside and restored, so the
     * stream goes on where it stopped as if nothing had been evaluated.
     */
    private void validateMidEpoch(long step, double epochPos) {
        List<Recurrent> cells = model.layers().stream().filter(l -> l instanceof Recurrent).map(l -> (Recurrent) l).toList();
        List<dev.nnlab.tensor.Tensor> saved = cells.stream().map(Recurrent::carriedState).toList();
        TokenTotals val = evaluate(data.validation());
        for (int i = 0; i < cells.size(); i++) if (saved.get(i) != null) cells.get(i).restoreCarriedState(saved.get(i));
        if (val == null) return;
        report("val", step, epochPos, val);
        sink.metric("val_acc", step, epochPos, val.accuracy());
    }

    /** Loss per token of a whole stream in evaluation mode, the state carried through it; null if the stream holds no window. */
    TokenTotals evaluate(int[] stream) {
        int evalRows = (int) Math.min(rows, Math.max(1, (stream.length - 1L) / bptt));
        TokenWindows windows = new TokenWindows(stream, evalRows, bptt);
        if (windows.count() == 0) return null;
        resetStates();
        TokenTotals totals = new TokenTotals();
        for (int w = 0; w < windows.count(); w++) {
            windows.load(w);
            loss.forward(model.forward(windows.inputs(), false), windows.targets());
            totals.add(loss);
        }
        resetStates();
        return totals;
    }

    private void report(String part, long step, double epoch, TokenTotals t) {
        sink.metric(part + "_loss", step, epoch, t.meanLoss());
        sink.metric(part + "_" + unit, step, epoch, unit.equals("bpc") ? t.meanLoss() / Math.log(2) : t.perplexity());
    }

    private double earlyMetric(String metric, TokenTotals train, TokenTotals val) {
        TokenTotals t = metric.startsWith("train") ? train : val;
        if (t == null) return Double.NaN;
        if (metric.endsWith("_acc")) return t.accuracy();
        if (metric.endsWith("_ppl")) return t.perplexity();
        if (metric.endsWith("_bpc")) return t.meanLoss() / Math.log(2);
        return t.meanLoss();
    }

    private void recurrentStats(TrainingDiagnostics diag, long step) {
        for (int i = 0; i < model.layers().size(); i++) {
            if (!(model.layer(i) instanceof Recurrent r)) continue;
            for (Map.Entry<String, Double> e : r.statistics().entrySet()) layerStat(diag, step, model.name(i), e.getKey(), e.getValue());
        }
    }

    private void layerStat(TrainingDiagnostics diag, long step, String layer, String stat, double value) {
        sink.layerStat(step, layer, stat, value);
        diag.onLayerStat(step, layer, stat, value);
    }

    private void resetStates() {
        for (Layer l : model.layers()) if (l instanceof Recurrent r) r.resetState();
    }
}
