package dev.nnlab.training;

import dev.nnlab.tensor.Rng;

import dev.nnlab.nn.Sequential;
import dev.nnlab.optim.schedule.CosineSchedule;
import dev.nnlab.optim.schedule.LearningRateSchedule;
import dev.nnlab.optim.schedule.WarmupSchedule;
import dev.nnlab.tensor.Tensor;

import java.util.List;

/**
 * Test fixture: a complete single-threaded training loop over fixed synthetic data (50 samples,
 * 4 features, 3 classes): FixtureLinear(8) - FixtureRelu - FixtureLinear(3), softmax cross-entropy,
 * momentum SGD under warm-up + cosine, mini-batches of 8 (the last one of 2). {@code seed} drives
 * initialisation and shuffling, so two instances with one seed must train identically.
 */
final class FixtureTraining {
    static final int SAMPLES = 50, FEATURES = 4, CLASSES = 3, BATCH = 8;
    private static final long DATA_SEED = 1234;

    final long seed;
    final Sequential model;
    final FixtureSgd optimizer;
    final MiniBatches batches;
    final LearningRateSchedule schedule = new WarmupSchedule(new CosineSchedule(0.5f, 0.01f, 4), 1);
    final Tensor x;
    final int[] y;
    long step;
    /** The records of the last step measured through {@link #trainStep}. */
    List<LayerStat> lastStats;
    private int shuffledEpoch = -1;
    private Tensor dlogits;

    FixtureTraining(long seed) {
        this.seed = seed;
        this.model = new Sequential(new int[] {FEATURES}, new FixtureLinear(8), new FixtureRelu(), new FixtureLinear(CLASSES));
        model.initialize(new Rng(seed).fork(1));
        this.optimizer = new FixtureSgd(model.params(), 0.5f, 0.9f);
        Rng data = new Rng(DATA_SEED);
        this.x = Tensor.zeros(SAMPLES, FEATURES);
        this.y = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            for (int f = 0; f < FEATURES; f++) x.set((float) data.nextGaussian(), i, f);
            float score = x.get(i, 0) - x.get(i, 1) + 0.5f * x.get(i, 2);
            y[i] = score < -0.5f ? 0 : score < 0.5f ? 1 : 2;
        }
        this.batches = new MiniBatches(x, y, BATCH, false, new Rng(seed).fork(2));
    }

    /** Runs {@code n} optimizer steps from the current {@link #step}. */
    void run(int n) {
        for (int i = 0; i < n; i++) trainStep(null);
    }

    /** Mean loss over the whole data set in evaluation mode. */
    double datasetLoss() {
        Tensor logits = model.forward(x, false);
        return FixtureSoftmaxCrossEntropy.lossAndGrad(logits, y, Tensor.zeros(logits.shape()));
    }

    /** One step; when {@code monitor} is given, it observes the batch and measures the optimizer step. Returns the batch loss. */
    double trainStep(LayerMonitor monitor) {
        int perEpoch = batches.batchCount();
        int epoch = (int) (step / perEpoch);
        if (epoch != shuffledEpoch) {
            batches.shuffle(epoch);
            shuffledEpoch = epoch;
        }
        batches.load((int) (step % perEpoch));
        Tensor logits = model.forward(batches.features(), true);
        if (monitor != null) monitor.observeBatch();
        if (dlogits == null || dlogits.rows() != logits.rows()) dlogits = Tensor.zeros(logits.shape());
        double loss = FixtureSoftmaxCrossEntropy.lossAndGrad(logits, batches.labels(), dlogits);
        model.params().zeroGrad();
        model.backward(dlogits);
        optimizer.setLearningRate(schedule.lr(LearningRateSchedule.epochOf(step, perEpoch)));
        if (monitor != null) lastStats = monitor.measureStep(optimizer);
        else optimizer.step();
        step++;
        return loss;
    }
}
