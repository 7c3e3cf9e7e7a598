package dev.nnlab.training;

import dev.nnlab.nn.Sequential;
import dev.nnlab.nn.loss.SoftmaxCrossEntropy;
import dev.nnlab.optim.GroupedOptimizer;
import dev.nnlab.spi.EarlyStopping;
import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import dev.nnlab.spi.TrainingJob;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.nnlab.training.SupervisedTrainingTest.job;
import static dev.nnlab.training.SupervisedTrainingTest.mlp;
import static dev.nnlab.training.SupervisedTrainingTest.train;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The values the shared loop records for lessons: initial_objective, train_eval_*, kept_epoch, effective_lr. */
class LessonMetricsTest {

    @Test
    void the_initial_objective_is_the_initial_loss_plus_half_the_decay_times_the_squared_weights() {
        TrainingJob job = job("epochs", 1, "batchSize", 30, "optimizer", "sgd", "lr", 0.1, "weightDecay", 0.01);
        Sequential model = mlp(1);
        double w2 = 0;   // the weights of the three Dense layers, not their biases
        for (var e : model.params().entries()) {
            if (!e.name().endsWith(".weight")) continue;
            for (int k = e.offset(); k < e.offset() + e.size(); k++) w2 += (double) model.params().values[k] * model.params().values[k];
        }
        RecordingSink sink = new RecordingSink();
        train(job, model, CommonSetup.optimizer(job, model.params()), sink);
        assertThat(sink.last("initial_objective")).isCloseTo(sink.last("initial_loss") + 0.005 * w2, within(1e-4));
        assertThat(0.005 * w2).isGreaterThan(0.01);   // the penalty is a visible part of it
    }

    @Test
    void the_training_samples_are_evaluated_like_the_validation_set_at_each_epoch_end() {
        TrainingJob job = job("epochs", 3, "batchSize", 30, "optimizer", "sgd", "lr", 0.1);
        Sequential model = mlp(1);
        RecordingSink sink = new RecordingSink();
        train(job, model, CommonSetup.optimizer(job, model.params()), sink);
        assertThat(sink.values("train_eval_acc")).hasSize(3);
        assertThat(sink.values("train_eval_loss")).hasSize(3);
        // after the last epoch: evaluation mode on the (at most 1000) training samples, by hand
        var train = CommonSetup.data(job.labelled().train());
        Evaluation e = Evaluation.of(model, new SoftmaxCrossEntropy(), train);
        assertThat(sink.last("train_eval_acc")).isCloseTo(e.accuracy(), within(1e-9));
        assertThat(sink.last("train_eval_loss")).isCloseTo(e.loss(), within(1e-5));
        Evaluation byThrees = Evaluation.of(model, new SoftmaxCrossEntropy(), train, 3);
        assertThat(byThrees.accuracy()).as("the pass size changes nothing but memory").isCloseTo(e.accuracy(), within(1e-9));
        assertThat(byThrees.loss()).isCloseTo(e.loss(), within(1e-5));
        assertThat(sink.last("kept_epoch")).isEqualTo(3.0);
    }

    @Test
    void the_kept_epoch_is_the_best_one_when_early_stopping_restored_it() {
        TrainingJob plain = job("epochs", 40, "batchSize", 30, "optimizer", "sgd", "lr", 0.3);
        TrainingJob early = new TrainingJob(plain.params(), plain.labelled().train(), plain.labelled().validation(), plain.labelled().test(),
                new EarlyStopping("val_loss", 2, 0.0), 1);
        Sequential model = mlp(1);
        RecordingSink sink = new RecordingSink();
        TrainResult r = train(early, model, CommonSetup.optimizer(early, model.params()), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        List<Double> val = sink.values("val_loss");
        int argmin = 0;
        for (int i = 1; i < val.size(); i++) if (val.get(i) < val.get(argmin)) argmin = i;
        assertThat(sink.last("kept_epoch")).isEqualTo(argmin + 1.0);
    }

    @Test
    void adagrad_reports_the_median_step_size_of_each_layer_and_sgd_none() {
        TrainingJob job = job("epochs", 1, "batchSize", 30, "optimizer", "adagrad", "lr", 0.05, "logEvery", 1);
        Sequential model = mlp(1);
        GroupedOptimizer adagrad = (GroupedOptimizer) CommonSetup.optimizer(job, model.params());
        RecordingSink sink = new RecordingSink();
        train(job, model, adagrad, sink);
        List<Double> out = sink.layerStats().stream().filter(s -> s.layer().equals("dense4") && s.stat().equals(LayerStat.EFFECTIVE_LR))
                .map(RecordingSink.Stat::value).toList();
        assertThat(out).hasSizeGreaterThan(3);
        // Adagrad's only falls: each step adds to the sum it divides by
        for (int i = 1; i < out.size(); i++) assertThat(out.get(i)).isLessThanOrEqualTo(out.get(i - 1));
        assertThat(out.getLast()).isCloseTo(adagrad.medianEffectiveLr(model.params().entries().stream()
                .filter(e -> e.name().startsWith("dense4.")).toList()), within(1e-12));

        TrainingJob sgdJob = job("epochs", 1, "batchSize", 30, "optimizer", "sgd", "lr", 0.05, "logEvery", 1);
        Sequential m2 = mlp(1);
        RecordingSink s2 = new RecordingSink();
        train(sgdJob, m2, CommonSetup.optimizer(sgdJob, m2.params()), s2);
        assertThat(s2.layerStats()).extracting(RecordingSink.Stat::stat).doesNotContain(LayerStat.EFFECTIVE_LR);
    }
}
