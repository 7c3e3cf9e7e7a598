package dev.nnlab.plugins.lstm;

import dev.nnlab.data.SequenceSamples;
import dev.nnlab.diagnostics.TrainingDiagnostics;
import dev.nnlab.nn.Layer;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.init.Uniform;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.Dropout;
import dev.nnlab.nn.layers.Embedding;
import dev.nnlab.nn.layers.LastStep;
import dev.nnlab.nn.layers.Recurrent;
import dev.nnlab.nn.layers.SequenceDense;
import dev.nnlab.nn.loss.MeanSquaredError;
import dev.nnlab.nn.loss.SequenceCrossEntropy;
import dev.nnlab.nn.loss.TokenTotals;
import dev.nnlab.optim.Checkpoint;
import dev.nnlab.optim.GradientClipping;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.optim.schedule.LearningRateSchedule;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.training.CheckpointArtifact;
import dev.nnlab.training.CommonSetup;
import dev.nnlab.training.LayerMonitor;
import dev.nnlab.training.LayerStat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Training on a generated {@link SequenceSamples} task: independent samples in shuffled mini-batches, every
 * sample from a zero state (nothing is carried: each sample is a whole sequence). {@code train_loss}
 * every {@code logEvery} steps and per epoch, {@code val_loss} per epoch and every {@code valEvery}
 * steps (0: every {@code logEvery}), {@code test_loss} at the end; the copy task adds {@code *_acc},
 * the share of copied symbols right. Layer statistics as for the language model.
 */
final class SequenceTaskTraining {
    private final TrainingJob job;
    private final RunSink sink;
    private final SequenceSamples data;
    private final SequenceSamples.Part train, val, test;
    private final Sequential model;
    private final MeanSquaredError mse = new MeanSquaredError();
    private final SequenceCrossEntropy xent = new SequenceCrossEntropy();

    SequenceTaskTraining(TrainingJob job, RunSink sink) {
        this.job = job;
        this.sink = sink;
        this.data = job.sequences();
        this.train = data.train();
        this.val = data.validation();
        this.test = data.test();
        this.model = build(job, data);
    }

    static Sequential build(TrainingJob job, SequenceSamples task) {
        float dropout = (float) job.doubleParam("dropout");
        Uniform init = new Uniform(job.doubleParam("initRange"));
        List<Layer> stack = new ArrayList<>();
        int[] input;
        if (task.isAdding()) {
            input = new int[] {task.steps(), 2};
        } else {
            input = new int[] {task.steps()};
            stack.add(new Embedding(SequenceSamples.ALPHABET + 2, job.intParam("embedding"), init));
        }
        for (int l = 0; l < job.intParam("layers"); l++) {
            if (l > 0 && dropout > 0) stack.add(new Dropout(dropout));
            stack.add(RecurrentLanguageModel.cell(job.stringParam("cell"), job.intParam("hidden"), init, (float) job.doubleParam("forgetBias")));
        }
        if (task.isAdding()) {
            stack.add(new LastStep());
            stack.add(new Dense(1, init, true));
        } else {
            stack.add(new SequenceDense(SequenceSamples.ALPHABET, init));
        }
        return new Sequential(input, stack).initialize(new Rng(job.intParam("seed")));
    }

    TrainResult run() {
        int batch = Math.min(job.intParam("batchSize"), train.samples()), epochs = job.intParam("epochs"), logEvery = job.intParam("logEvery");
        int valEvery = job.intParam("valEvery") == 0 ? logEvery : job.intParam("valEvery");
        float clipNorm = (float) job.doubleParam("clipNorm");
        Parameters params = model.params();
        Optimizer optimizer = CommonSetup.optimizer(job, params);
        LearningRateSchedule schedule = CommonSetup.schedule(job);
        TrainingDiagnostics diag = data.isAdding()
                ? new TrainingDiagnostics(sink, SequenceSamples.ADDING_BASELINE + 1, "about the target's second moment (7/6) for near-zero outputs")
                : new TrainingDiagnostics(sink, Math.log(SequenceSamples.ALPHABET), "ln " + SequenceSamples.ALPHABET + " for near-uniform predictions");
        LayerMonitor monitor = new LayerMonitor(model, logEvery);
        Rng shuffle = new Rng(job.intParam("seed")).fork(0xBA7C4L);
        int perEpoch = train.samples() / batch;
        Tensor bx = Tensor.zeros(batchShape(batch));
        Tensor by = Tensor.zeros(batch, 1);
        int[] bl = new int[batch * data.targetsPerSample()];
        long step = 0;
        double window = 0;
        int windowCount = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            int[] order = shuffle.permutation(train.samples());
            double epochSum = 0;
            for (int b = 0; b < perEpoch; b++) {
                double epochPos = (double) step / perEpoch;
                float lr = schedule.lr(epochPos);
                optimizer.setLearningRate(lr);
                load(train, order, b * batch, batch, bx, by, bl);
                float l = lossOf(model.forward(bx, true), by, bl);
                if (!diag.onTrainLoss(step, l)) {
                    sink.metric("train_loss", step, epochPos, l);
                    return TrainResult.diverged("loss became " + l + " at step " + step + " (epoch " + epoch + ")");
                }
                window += l;
                windowCount++;
                epochSum += l;
                params.zeroGrad();
                model.backward(data.isAdding() ? mse.backward() : xent.backward());
                if (clipNorm > 0) GradientClipping.clipGlobalNorm(params, clipNorm);
                if (monitor.due(step)) {
                    for (LayerStat s : monitor.measureStep(optimizer)) stat(diag, step, s.layer(), s.stat(), s.value());
                    for (int i = 0; i < model.layers().size(); i++) {
                        if (model.layer(i) instanceof Recurrent r) {
                            for (Map.Entry<String, Double> e : r.statistics().entrySet()) stat(diag, step, model.name(i), e.getKey(), e.getValue());
                        }
                    }
                } else {
                    optimizer.step();
                }
                step++;
                if (step % logEvery == 0) {
                    sink.metric("train_loss", step, (double) step / perEpoch, window / windowCount);
                    sink.metric("lr", step, (double) step / perEpoch, lr);
                    window = 0;
                    windowCount = 0;
                }
                // Samples carry no state and evaluation draws no random numbers: training goes on as without it.
                if (step % valEvery == 0 && b + 1 < perEpoch) reportValidation(step, (double) step / perEpoch);
                if (sink.stopRequested()) return TrainResult.stopped();
            }
            if (windowCount > 0) {
                sink.metric("train_loss", step, epoch, window / windowCount);
                window = 0;
                windowCount = 0;
            }
            double[] v = reportValidation(step, epoch);
            schedule.onValidation(v[0]);
            diag.onEpoch(step, epoch, epochSum / perEpoch, v[0]);
        }
        double[] t = evaluate(test, batch);
        sink.metric("test_loss", step, epochs, t[0]);
        if (!data.isAdding()) sink.metric("test_acc", step, epochs, t[1]);
        CheckpointArtifact.report(sink, step, params, Map.of(Checkpoint.EPOCH, (long) epochs, Checkpoint.STEP, step,
                Checkpoint.SEED, (long) job.intParam("seed")));
        return TrainResult.finished();
    }

    private double[] reportValidation(long step, double epoch) {
        double[] v = evaluate(val, Math.min(job.intParam("batchSize"), train.samples()));
        sink.metric("val_loss", step, epoch, v[0]);
        if (!data.isAdding()) sink.metric("val_acc", step, epoch, v[1]);
        return v;
    }

    /** Mean loss (and, for copy, symbol accuracy) over a whole part in evaluation mode. */
    double[] evaluate(SequenceSamples.Part part, int batch) {
        int[] order = new int[part.samples()];
        for (int i = 0; i < order.length; i++) order[i] = i;
        double sum = 0;
        TokenTotals tokens = new TokenTotals();
        int seen = 0;
        for (int from = 0; from < part.samples(); from += batch) {
            int n = Math.min(batch, part.samples() - from);
            Tensor bx = Tensor.zeros(batchShape(n));
            Tensor by = Tensor.zeros(n, 1);
            int[] bl = new int[n * data.targetsPerSample()];
            load(part, order, from, n, bx, by, bl);
            float l = lossOf(model.forward(bx, false), by, bl);
            if (data.isAdding()) sum += (double) l * n;
            else tokens.add(xent);
            seen += n;
        }
        return data.isAdding() ? new double[] {sum / seen, Double.NaN} : new double[] {tokens.meanLoss(), tokens.accuracy()};
    }

    private int[] batchShape(int n) {
        return data.isAdding() ? new int[] {n, data.steps(), 2} : new int[] {n, data.steps()};
    }

    private float lossOf(Tensor out, Tensor target, int[] labels) {
        return data.isAdding() ? mse.forward(out, target) : xent.forward(out, labels);
    }

    private void load(SequenceSamples.Part part, int[] order, int from, int n, Tensor bx, Tensor by, int[] bl) {
        int width = data.steps() * data.channels(), per = data.targetsPerSample();
        for (int i = 0; i < n; i++) {
            int s = order[from + i];
            System.arraycopy(part.inputs().data, s * width, bx.data, i * width, width);
            if (data.isAdding()) by.data[i] = part.values()[s];
            else System.arraycopy(part.labels(), s * per, bl, i * per, per);
        }
    }

    private void stat(TrainingDiagnostics diag, long step, String layer, String stat, double value) {
        sink.layerStat(step, layer, stat, value);
        diag.onLayerStat(step, layer, stat, value);
    }
}
