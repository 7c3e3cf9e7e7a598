package dev.nnlab.training;

import dev.nnlab.data.Dataset;
import dev.nnlab.data.Spirals;
import dev.nnlab.diagnostics.TrainingDiagnostics;
import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.layers.Dense;
import dev.nnlab.nn.layers.ReLU;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
import dev.nnlab.optim.Optimizer;
import dev.nnlab.spi.CommonParams;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import dev.nnlab.tensor.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared loop end to end on the spiral: how a run ends and which diagnostics it raises. */
class SupervisedTrainingTest {
    static final Dataset SPIRAL = Spirals.generate(3, 100, 0.2, 7);
    /** Enough samples that 30 epochs do not overfit and the validation probe sees every region. */
    static final Dataset BIG_SPIRAL = Spirals.generate(3, 300, 0.2, 7);

    static TrainingJob job(Object... kv) {
        return job(SPIRAL, kv);
    }

    static TrainingJob job(Dataset data, Object... kv) {
        Map<String, Object> given = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) given.put((String) kv[i], kv[i + 1]);
        Split split = Split.stratified(data.labels(), 0.7, 0.15, 3);
        return new TrainingJob(CommonParams.SCHEMA.resolve(given, "$.params"), data.subset("train", split.train()),
                data.subset("val", split.val()), data.subset("test", split.test()), null, 1);
    }

    static Sequential mlp(long seed) {
        return new Sequential(new int[] {2}, new Dense(64), new ReLU(), new Dense(64), new ReLU(), new Dense(3)).initialize(new Rng(seed));
    }

    static TrainResult train(TrainingJob job, Sequential model, Optimizer optimizer, RecordingSink sink) {
        SupervisedTraining.Setup setup = new SupervisedTraining.Setup(model, new SoftmaxCrossEntropy(), optimizer,
                CommonSetup.schedule(job), TrainingDiagnostics.expectedCrossEntropy(3), "ln(3)");
        return new SupervisedTraining(setup, job, sink).run(CommonSetup.data(job.labelled().train()), CommonSetup.data(job.labelled().validation()),
                CommonSetup.data(job.labelled().test()));
    }

    /** Steps like {@code inner}, then writes {@code value} into the first {@code count} parameters on step number {@code poisonAt}. */
    record PoisonedOptimizer(Optimizer inner, float[] values, long poisonAt, float value, int count) implements Optimizer {
        PoisonedOptimizer(Optimizer inner, float[] values, long poisonAt) {
            this(inner, values, poisonAt, Float.NaN, 1);
        }

        @Override public void step() {
            inner.step();
            if (inner.steps() == poisonAt) Arrays.fill(values, 0, count, value);
        }
        @Override public float learningRate() { return inner.learningRate(); }
        @Override public void setLearningRate(float lr) { inner.setLearningRate(lr); }
        @Override public long steps() { return inner.steps(); }
        @Override public Map<String, float[]> state() { return inner.state(); }
        @Override public void restore(long steps, Map<String, float[]> state) { inner.restore(steps, state); }
    }

    @Test
    void a_nan_left_by_the_last_optimizer_step_of_the_run_ends_it_diverged() {
        TrainingJob job = job("epochs", 2, "batchSize", 30, "optimizer", "sgd", "lr", 0.1);
        int stepsPerEpoch = (job.labelled().train().size() + 29) / 30;
        Sequential model = mlp(1);
        Optimizer sgd = CommonSetup.optimizer(job, model.params());
        RecordingSink sink = new RecordingSink();
        TrainResult r = train(job, model, new PoisonedOptimizer(sgd, model.params().values, 2L * stepsPerEpoch), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.DIVERGED);
        assertThat(r.message()).contains("dense0.weight");
        assertThat(sink.events()).filteredOn(e -> e.code().equals("nan")).singleElement()
                .satisfies(e -> assertThat(e.step()).isEqualTo(2L * stepsPerEpoch));
        assertThat(sink.values("test_acc")).as("no test figures from a diverged model").isEmpty();

        RecordingSink clean = new RecordingSink();
        Sequential same = mlp(1);
        assertThat(train(job, same, CommonSetup.optimizer(job, same.params()), clean).outcome())
                .as("the same run without the NaN").isEqualTo(TrainResult.Outcome.FINISHED);
    }

    @Test
    void a_nan_left_by_the_last_step_of_an_earlier_epoch_ends_the_run_at_that_epoch() {
        TrainingJob job = job("epochs", 3, "batchSize", 30, "optimizer", "sgd", "lr", 0.1);
        int stepsPerEpoch = (job.labelled().train().size() + 29) / 30;
        Sequential model = mlp(1);
        RecordingSink sink = new RecordingSink();
        TrainResult r = train(job, model, new PoisonedOptimizer(CommonSetup.optimizer(job, model.params()),
                model.params().values, stepsPerEpoch), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.DIVERGED);
        assertThat(r.message()).contains("epoch 1");
        assertThat(sink.values("val_loss")).isEmpty();
    }

    @Test
    void finite_weights_so_large_that_the_scores_overflow_after_the_last_step_end_the_run_diverged() {
        TrainingJob job = job("epochs", 1, "batchSize", 30, "optimizer", "sgd", "lr", 0.1);
        int stepsPerEpoch = (job.labelled().train().size() + 29) / 30;
        Sequential model = mlp(1);
        float[] values = model.params().values;
        RecordingSink sink = new RecordingSink();
        TrainResult r = train(job, model, new PoisonedOptimizer(CommonSetup.optimizer(job, model.params()), values,
                stepsPerEpoch, 1e30f, values.length), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.DIVERGED);
        assertThat(r.message()).contains("validation loss");
        assertThat(sink.events()).filteredOn(e -> e.code().equals("nan")).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("validation"));
    }

    @Test
    void a_healthy_run_triggers_none_of_the_loss_and_gradient_rules() {
        // Adam at a moderate rate on enough data for 25 epochs: the loss falls steadily, validation
        // follows it, gradients reach the first layer. (A few units of the second ReLU layer do die
        // on this 2-D data, truly: they fire in no window and on no probe sample, so dead_relu is not
        // asserted here.)
        TrainingJob job = job(BIG_SPIRAL, "epochs", 25, "batchSize", 32, "optimizer", "adam", "lr", 0.003, "logEvery", 5);
        Sequential model = mlp(2);
        RecordingSink sink = new RecordingSink();
        TrainResult r = train(job, model, CommonSetup.optimizer(job, model.params()), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(sink.last("val_acc")).as("it really learned").isGreaterThan(0.9);
        assertThat(sink.events()).extracting(RecordingSink.Event::code)
                .doesNotContain("exploding", "vanishing_gradients", "plateau", "overfitting", "nan")
                .contains("initial_loss_ok");
        assertThat(sink.layerStats()).extracting(RecordingSink.Stat::stat)
                .contains(LayerStat.DEAD_FRACTION, LayerStat.DEAD_FRACTION_PROBE, LayerStat.GRAD_NORM);
    }

    @Test
    void the_probe_is_measured_once_per_epoch_for_every_relu_layer() {
        TrainingJob job = job("epochs", 3, "batchSize", 32, "optimizer", "adam", "lr", 0.01);
        Sequential model = mlp(3);
        RecordingSink sink = new RecordingSink();
        train(job, model, CommonSetup.optimizer(job, model.params()), sink);
        List<RecordingSink.Stat> probes = sink.layerStats().stream()
                .filter(s -> s.stat().equals(LayerStat.DEAD_FRACTION_PROBE)).toList();
        assertThat(probes).extracting(RecordingSink.Stat::layer).containsExactly("relu1", "relu3", "relu1", "relu3", "relu1", "relu3");
    }
}
