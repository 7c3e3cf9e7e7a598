package dev.nnlab.training;

import dev.nnlab.optim.Checkpoint;

import dev.nnlab.diagnostics.TrainingDiagnostics;
import dev.nnlab.nn.Parameters;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.loss.Accuracy;
import dev.nnlab.nn.loss.Loss;
import dev.nnlab.optim.GradientClipping;
import dev.nnlab.optim.GroupedOptimizer;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.optim.schedule.LearningRateSchedule;
import dev.nnlab.data.LabelledTensors;
import dev.nnlab.spi.EarlyStopping;
import dev.nnlab.spi.RunSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Tensor;
import dev.nnlab.tensor.Rng;

import java.util.List;
import java.util.Map;

/**
 * The mini-batch training loop every supervised classification family shares: shuffle each
 * epoch, forward, loss, backward, clip, step under a schedule; log the standard metrics every
 * {@code logEvery} steps and every epoch; measure per-layer statistics on the same cadence; feed
 * the diagnostics; stop early, on divergence, or on request.
 *
 * <p>Metric series: {@code initial_loss} is the loss of the first batch, before any update;
 * {@code train_loss} is the mean batch loss since the previous point (every
 * {@code logEvery} steps and at each epoch end); {@code lr} with it; {@code train_acc} is the
 * epoch's running training-mode accuracy; {@code val_*} at each epoch end; {@code test_*} once at the
 * end, with the best parameters when early stopping kept them.
 * {@code initial_objective} is {@code initial_loss} plus the L2 penalty {@code (weightDecay/2) ||w||^2}
 * of a coupled decay (left out for AdamW, whose decay is no loss term); {@code train_eval_loss} and
 * {@code train_eval_acc} are evaluation-mode loss and accuracy (no dropout, batch-norm running
 * statistics) on up to {@value #PROBE_SAMPLES} fixed training samples at each epoch end, comparable with
 * {@code val_*}; {@code kept_epoch}, once at the end, is the epoch whose parameters the run ends with
 * (the best one when early stopping restored it, else the last one trained).
 *
 * <p>Training batches (only they) are augmented on the fly when the family offers
 * {@link ImageAugmentation#PARAMS} and the run turns one on.
 *
 * <p>Artifacts of a finished run: the {@link ConfusionMatrix} on the test set, the final weights
 * ({@link CheckpointArtifact}) and, for networks with units that can die, which ones were dead on the
 * last epoch's probe ({@link DeadUnitsArtifact}: channels of a convolution, features of a dense layer).
 *
 * <p>Stability: evolving; the shared loop may gain steps and options (by new methods, defaults unchanged).
 */
public final class SupervisedTraining {

    /** The pieces a family builds; the loop owns the rest. */
    public record Setup(Sequential model, Loss loss, Optimizer optimizer, LearningRateSchedule schedule,
                        double expectedInitialLoss, String expectedWhy) {}

    /** Validation samples in the epoch-end dead-unit probe (fixed indices). */
    static final int PROBE_SAMPLES = 1000;

    private final Setup s;
    private final RunSink sink;
    private final int epochs, batchSize, logEvery;
    private final float clipNorm;
    private final long seed;
    private final EarlyStopping early;
    private final List<String> classNames;
    /** Null when the family offers no augmentation or the run asks for none. */
    private final ImageAugmentation augmentation;
    private final TrainingJob job;

    public SupervisedTraining(Setup setup, TrainingJob job, RunSink sink) {
        this.s = setup;
        this.sink = sink;
        this.epochs = job.intParam("epochs");
        this.batchSize = job.intParam("batchSize");
        this.logEvery = job.intParam("logEvery");
        this.clipNorm = (float) job.doubleParam("clipNorm");
        this.seed = job.intParam("seed");
        this.early = job.earlyStopping();
        this.classNames = job.labelled().classNames();
        this.augmentation = ImageAugmentation.fromParams(job.params(), seed);
        this.job = job;
    }

    /**
     * The standard path of a family: the optimizer and schedule its common parameters name, trained on
     * the job's labelled tensors (its train / validation / test parts).
     */
    public static TrainResult fit(TrainingJob job, RunSink sink, Sequential model, Loss loss,
                                  double expectedInitialLoss, String expectedWhy) {
        Setup setup = new Setup(model, loss, CommonSetup.optimizer(job, model.params()), CommonSetup.schedule(job),
                expectedInitialLoss, expectedWhy);
        LabelledTensors data = job.labelled();
        return new SupervisedTraining(setup, job, sink)
                .run(CommonSetup.data(data.train()), CommonSetup.data(data.validation()), CommonSetup.data(data.test()));
    }

    /**
     * {@link #fit} for a family offering {@link TransferLearning#PARAMS}: the model (already initialised)
     * first takes the job's {@code initialWeights} outside its head, and all but the last {@code trainLast}
     * layers with parameters are frozen.
     */
    public static TrainResult fitTransferable(TrainingJob job, RunSink sink, Sequential model, Loss loss,
                                              double expectedInitialLoss, String expectedWhy) {
        int trainLast = job.params().containsKey(TransferLearning.TRAIN_LAST) ? job.intParam(TransferLearning.TRAIN_LAST) : 0;
        List<dev.nnlab.optim.ParameterGroup> frozen;
        try {
            frozen = job.initialWeights() == null
                    ? TransferLearning.freezeAllBut(model, trainLast)
                    : TransferLearning.apply(model, job.initialWeights(), TransferLearning.initFrom(job.params()), trainLast);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("the weights of run " + TransferLearning.initFrom(job.params())
                    + " could not be read from " + job.initialWeights() + ": " + e.getMessage(), e);
        }
        Setup setup = new Setup(model, loss, CommonSetup.optimizer(job, model.params(), frozen), CommonSetup.schedule(job),
                expectedInitialLoss, expectedWhy);
        LabelledTensors data = job.labelled();
        return new SupervisedTraining(setup, job, sink)
                .run(CommonSetup.data(data.train()), CommonSetup.data(data.validation()), CommonSetup.data(data.test()));
    }

    public TrainResult run(LabelledData train, LabelledData val, LabelledData test) {
        if (train.size() == 0) throw new IllegalArgumentException("the training set is empty");
        Sequential model = s.model();
        Parameters params = model.params();
        TrainingDiagnostics diag = new TrainingDiagnostics(sink, s.expectedInitialLoss(), s.expectedWhy());
        LayerMonitor monitor = new LayerMonitor(model, logEvery);
        MiniBatches batches = new MiniBatches(train.features(), train.labels(), train.pixelCodes(), Math.min(batchSize, train.size()), false,
                new Rng(seed).fork(0xBA7C4L));
        BestEpochTracker stopper = early == null ? null : BestEpochTracker.of(early);
        int perEpoch = batches.batchCount();
        int evalRows = Evaluation.rowsPerPass(batchSize);
        Tensor probe = LayerMonitor.probeRows(val.features(), PROBE_SAMPLES);
        LabelledData trainProbe = trainProbe(train);
        long step = 0;
        double windowLoss = 0;
        int windowCount = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            batches.shuffle(epoch);
            double epochLossSum = 0;
            long epochCorrect = 0, epochSeen = 0;
            for (int b = 0; b < perEpoch; b++) {
                int n = batches.load(b);
                if (augmentation != null) augmentation.apply(batches.features(), step);
                double epochPos = (double) step / perEpoch;
                float lr = s.schedule().lr(epochPos);
                s.optimizer().setLearningRate(lr);

                Tensor out = model.forward(batches.features(), true);
                monitor.observeBatch();
                int[] y = batches.labels();
                float loss = s.loss().forward(out, y);
                // The loss before any update (the data loss; an L2 penalty is applied by the optimizer, not here):
                // the value the sanity checks and lessons compare with ln C.
                if (step == 0) {
                    sink.metric("initial_loss", 0, 0.0, loss);
                    // The objective a coupled L2 decay descends: what "more regularisation, higher loss" is about.
                    double penalty = s.optimizer() instanceof GroupedOptimizer g ? g.l2Penalty() : Double.NaN;
                    if (Double.isFinite(penalty)) sink.metric("initial_objective", 0, 0.0, loss + penalty);
                }
                if (!diag.onTrainLoss(step, loss)) {
                    sink.metric("train_loss", step, epochPos, loss);
                    return TrainResult.diverged("loss became " + loss + " at step " + step + " (epoch " + epoch + ")");
                }
                epochCorrect += Accuracy.correct(out, y);
                epochSeen += n;
                epochLossSum += (double) loss * n;
                windowLoss += loss;
                windowCount++;

                params.zeroGrad();
                model.backwardParameters(s.loss().backward());
                if (clipNorm > 0) GradientClipping.clipGlobalNorm(params, clipNorm);
                if (monitor.due(step)) {
                    report(step, diag, monitor.measureStep(s.optimizer()));
                } else {
                    s.optimizer().step();
                }
                step++;
                if (step % logEvery == 0) {
                    sink.metric("train_loss", step, (double) step / perEpoch, windowLoss / windowCount);
                    sink.metric("lr", step, (double) step / perEpoch, lr);
                    windowLoss = 0;
                    windowCount = 0;
                }
                if (sink.stopRequested()) return TrainResult.stopped();
            }
            if (windowCount > 0) {
                sink.metric("train_loss", step, epoch, windowLoss / windowCount);
                windowLoss = 0;
                windowCount = 0;
            }
            String nonFinite = firstNonFinite(params);
            if (nonFinite != null) {
                // The last step of the epoch (or of the run) left a NaN/Inf that no loss has seen yet.
                diag.onNonFiniteParameter(step, nonFinite);
                return TrainResult.diverged("parameter " + nonFinite + " became non-finite by step " + step + " (epoch " + epoch + ")");
            }
            double trainLoss = epochLossSum / epochSeen;
            sink.metric("train_acc", step, epoch, (double) epochCorrect / epochSeen);
            Evaluation v = Evaluation.of(model, s.loss(), val, evalRows);
            if (val.size() > 0 && !Double.isFinite(v.loss())) {
                diag.onNonFiniteEvaluation(step, "validation", v.loss());
                return TrainResult.diverged("validation loss became " + v.loss() + " after epoch " + epoch);
            }
            Evaluation te = Evaluation.of(model, s.loss(), trainProbe, evalRows);
            sink.metric("train_eval_loss", step, epoch, te.loss());
            sink.metric("train_eval_acc", step, epoch, te.accuracy());
            if (val.size() > 0) {
                sink.metric("val_loss", step, epoch, v.loss());
                sink.metric("val_acc", step, epoch, v.accuracy());
                s.schedule().onValidation(v.loss());
            }
            diag.onEpoch(step, epoch, trainLoss, v.loss());
            if (probe.rows() > 0) report(step, diag, monitor.probe(probe, evalRows));
            if (stopper != null) {
                double metric = switch (early.metric()) {
                    case "val_loss" -> v.loss();
                    case "val_acc" -> v.accuracy();
                    case "train_loss" -> trainLoss;
                    default -> (double) epochCorrect / epochSeen;
                };
                stopper.update(epoch, metric, params);
                if (stopper.shouldStop() && epoch < epochs) {
                    sink.event(step, RunSink.Severity.INFO, "early_stopping",
                            "stopped after epoch " + epoch + ": " + early.metric() + " has not improved for "
                                    + early.patience() + " epochs; best at epoch " + stopper.bestEpoch(),
                            "The parameters of epoch " + stopper.bestEpoch() + " are kept and evaluated on the test set.");
                    break;
                }
            }
        }
        int kept = (int) Math.ceil((double) step / perEpoch - 1e-9);
        if (stopper != null && stopper.hasBestValues()) {
            stopper.restoreBest(params);
            kept = stopper.bestEpoch();
        }
        sink.metric("kept_epoch", step, kept, kept);
        Evaluation t = Evaluation.of(model, s.loss(), test, evalRows);
        if (test.size() > 0 && !Double.isFinite(t.loss())) {
            diag.onNonFiniteEvaluation(step, "test", t.loss());
            return TrainResult.diverged("test loss became " + t.loss() + " with the final parameters");
        }
        if (test.size() > 0) {
            sink.metric("test_loss", step, epochs, t.loss());
            sink.metric("test_acc", step, epochs, t.accuracy());
            ConfusionMatrix.of(model, test, classNames, evalRows).report(sink);
        }
        if (probe.rows() > 0) DeadUnitsArtifact.report(sink, probe.rows(), monitor.deadUnitsOfLastProbe());
        if (HessianAtEnd.requested(job.params())) HessianAtEnd.report(sink, step, epochs, model, s.loss(), train, seed);
        CheckpointArtifact.report(sink, step, params, Map.of(Checkpoint.EPOCH, step / perEpoch, Checkpoint.STEP, step,
                Checkpoint.SEED, seed));
        return TrainResult.finished();
    }

    /** Up to {@value #PROBE_SAMPLES} training samples at fixed, evenly spaced indices, labels with them. */
    static LabelledData trainProbe(LabelledData train) {
        int n = train.size(), k = Math.min(n, PROBE_SAMPLES);
        int[] labels = new int[k];
        for (int j = 0; j < k; j++) labels[j] = train.labels()[(int) ((long) j * n / k)];
        return new LabelledData(LayerMonitor.probeRows(train.features(), k), labels);
    }

    /** The name of the first parameter entry holding a NaN or an infinity, or null. */
    private static String firstNonFinite(Parameters params) {
        for (Parameters.Entry e : params.entries()) {
            for (int k = e.offset(), end = e.offset() + e.size(); k < end; k++) {
                if (!Float.isFinite(params.values[k])) return e.name();
            }
        }
        return null;
    }

    private void report(long step, TrainingDiagnostics diag, List<LayerStat> stats) {
        String first = null, last = null;
        double firstNorm = Double.NaN, lastNorm = Double.NaN;
        for (LayerStat st : stats) {
            sink.layerStat(step, st.layer(), st.stat(), st.value());
            diag.onLayerStat(step, st.layer(), st.stat(), st.value());
            if (LayerStat.GRAD_NORM.equals(st.stat())) {
                if (first == null) {
                    first = st.layer();
                    firstNorm = st.value();
                }
                last = st.layer();
                lastNorm = st.value();
            }
        }
        if (first != null && !first.equals(last)) diag.onGradientNorms(step, first, firstNorm, last, lastNorm);
    }
}
