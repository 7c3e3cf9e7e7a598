package dev.nnlab.plugins.lstm;

import dev.nnlab.spi.RecordingSink;
import dev.nnlab.spi.TrainResult;
import org.junit.jupiter.api.Test;

import static dev.nnlab.plugins.lstm.RecurrentLanguageModelTest.FAMILY;
import static dev.nnlab.plugins.lstm.RecurrentLanguageModelTest.MARKOV;
import static dev.nnlab.plugins.lstm.RecurrentLanguageModelTest.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SequenceTaskTest {

    @Test
    void adding_samples_mark_one_step_in_each_half_and_target_the_sum_of_the_marked_values() {
        SequenceTask a = SequenceTask.generate("adding", 10, 200, 0);
        double mean = 0, sq = 0;
        for (int s = 0; s < 200; s++) {
            int first = -1, second = -1;
            for (int t = 0; t < 10; t++) {
                if (a.inputs().data[(s * 10 + t) * 2 + 1] == 1f) {
                    if (first < 0) first = t; else second = t;
                }
            }
            assertThat(first).isBetween(0, 4);
            assertThat(second).isBetween(5, 9);
            float sum = a.inputs().data[(s * 10 + first) * 2] + a.inputs().data[(s * 10 + second) * 2];
            assertThat(a.values()[s]).isEqualTo(sum);
            mean += sum / 200;
            sq += (double) sum * sum / 200;
        }
        assertThat(sq - mean * mean).as("variance near 1/6").isCloseTo(SequenceTask.ADDING_BASELINE, within(0.04));
        assertThat(SequenceTask.generate("adding", 10, 200, 0).inputs().toArray()).containsExactly(a.inputs().toArray());
        assertThat(SequenceTask.generate("adding", 10, 200, 1).inputs().toArray()).isNotEqualTo(a.inputs().toArray());
    }

    @Test
    void copy_samples_ask_for_the_symbols_back_after_the_delimiter_and_nothing_before() {
        SequenceTask c = SequenceTask.generate("copy", 3, 5, 0);
        assertThat(c.steps()).isEqualTo(7);
        for (int s = 0; s < 5; s++) {
            assertThat(c.inputs().data[s * 7 + 3]).isEqualTo(1f);
            for (int t = 0; t < 3; t++) {
                assertThat(c.labels()[s * 7 + t]).isEqualTo(-1);
                assertThat(c.labels()[s * 7 + 4 + t]).isEqualTo((int) c.inputs().data[s * 7 + t] - 2);
                assertThat(c.inputs().data[s * 7 + 4 + t]).isZero();
            }
            assertThat(c.labels()[s * 7 + 3]).isEqualTo(-1);
        }
    }

    @Test
    void an_lstm_solves_the_adding_problem_at_length_10_far_below_the_variance_baseline() {
        RecordingSink sink = new RecordingSink();
        TrainResult r = FAMILY.train(job(MARKOV, "task", "adding", "taskLength", 10, "taskSamples", 2000, "cell", "lstm",
                "layers", 1, "hidden", 16, "batchSize", 32, "optimizer", "adam", "lr", 0.01, "epochs", 6, "logEvery", 25), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(sink.last("val_loss")).isLessThan(0.3 * SequenceTask.ADDING_BASELINE);
        assertThat(sink.last("test_loss")).isLessThan(0.3 * SequenceTask.ADDING_BASELINE);
        assertThat(sink.layerStats()).extracting(RecordingSink.Stat::stat).contains("forget_gate_saturation", "bptt_grad_first");
    }

    @Test
    void an_lstm_copies_short_sequences_better_than_chance() {
        RecordingSink sink = new RecordingSink();
        FAMILY.train(job(MARKOV, "task", "copy", "taskLength", 3, "taskSamples", 2000, "cell", "lstm", "embedding", 8,
                "layers", 1, "hidden", 32, "batchSize", 32, "optimizer", "adam", "lr", 0.01, "epochs", 4, "logEvery", 25), sink);
        assertThat(sink.last("val_acc")).as("chance is 1/8").isGreaterThan(0.5);
        assertThat(sink.last("val_loss")).isLessThan(Math.log(SequenceTask.ALPHABET) - 0.5);
    }

    @Test
    void task_lengths_below_two_are_outside_the_schema() {
        assertThatThrownBy(() -> job(MARKOV, "task", "adding", "taskLength", 1)).hasMessageContaining("taskLength");
        assertThatThrownBy(() -> job(MARKOV, "task", "sort")).hasMessageContaining("task");
    }
}
