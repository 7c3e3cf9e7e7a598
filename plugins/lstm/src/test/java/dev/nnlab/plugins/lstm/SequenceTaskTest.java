package dev.nnlab.plugins.lstm;

import dev.nnlab.data.SequenceSamples;
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
        SequenceSamples.Part a = SequenceSamples.generate("adding", "adding", 10, 200).train();
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
        assertThat(sq - mean * mean).as("variance near 1/6").isCloseTo(SequenceSamples.ADDING_BASELINE, within(0.04));
        SequenceSamples again = SequenceSamples.generate("adding", "adding", 10, 200);
        assertThat(again.train().inputs().toArray()).containsExactly(a.inputs().toArray());
        assertThat(again.validation().inputs().toArray()).as("validation is drawn apart").isNotEqualTo(a.inputs().toArray());
        assertThat(again.validation().samples()).as("a tenth, at least 100").isEqualTo(100);
    }

    @Test
    void copy_samples_ask_for_the_symbols_back_after_the_delimiter_and_nothing_before() {
        SequenceSamples all = SequenceSamples.generate("copy", "copy", 3, 5);
        SequenceSamples.Part c = all.train();
        assertThat(all.steps()).isEqualTo(7);
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
        TrainResult r = FAMILY.train(job(SequenceSamples.generate("adding", "adding", 10, 2000), "cell", "lstm",
                "layers", 1, "hidden", 16, "batchSize", 32, "optimizer", "adam", "lr", 0.01, "epochs", 6, "logEvery", 25), sink);
        assertThat(r.outcome()).isEqualTo(TrainResult.Outcome.FINISHED);
        assertThat(sink.last("val_loss")).isLessThan(0.3 * SequenceSamples.ADDING_BASELINE);
        assertThat(sink.last("test_loss")).isLessThan(0.3 * SequenceSamples.ADDING_BASELINE);
        assertThat(sink.layerStats()).extracting(RecordingSink.Stat::stat).contains("forget_gate_saturation", "bptt_grad_first");
    }

    @Test
    void an_lstm_copies_short_sequences_better_than_chance() {
        RecordingSink sink = new RecordingSink();
        FAMILY.train(job(SequenceSamples.generate("copy", "copy", 3, 2000), "cell", "lstm", "embedding", 8,
                "layers", 1, "hidden", 32, "batchSize", 32, "optimizer", "adam", "lr", 0.01, "epochs", 4, "logEvery", 25), sink);
        assertThat(sink.last("val_acc")).as("chance is 1/8").isGreaterThan(0.5);
        assertThat(sink.last("val_loss")).isLessThan(Math.log(SequenceSamples.ALPHABET) - 0.5);
    }

    @Test
    void task_lengths_below_two_are_outside_the_schema_and_oversized_tasks_are_refused_with_the_numbers() {
        assertThatThrownBy(() -> job(MARKOV, "taskLength", 1)).hasMessageContaining("taskLength");
        assertThatThrownBy(() -> job(MARKOV, "taskLength", 0)).hasMessageContaining("taskLength");
        assertThatThrownBy(() -> SequenceSamples.generate("copy", "copy", 1000, 100_000))
                .hasMessageContaining("taskSamples = 100000").hasMessageContaining("taskLength = 1000").hasMessageContaining("25,000,000");
        assertThatThrownBy(() -> SequenceSamples.generate("sort", "sort", 10, 10)).hasMessageContaining("allowed: [adding, copy]");
    }

    @Test
    void the_run_records_what_it_trained_on_its_checksum_names_the_generator_length_count_and_seed() {
        SequenceSamples s = SequenceSamples.generate("adding", "adding", 12, 300);
        assertThat(s.kind()).isEqualTo(dev.nnlab.spi.DataKind.SEQUENCES);
        assertThat(s.checksum()).contains("adding").contains("length=12").contains("samples=300").contains("seed=" + SequenceSamples.SEED);
        assertThat(s.describe()).contains("adding task, length 12").contains("300 train");
    }

    @Test
    void validation_every_log_every_steps_on_a_sequence_task_leaves_training_exactly_as_without_it() {
        SequenceSamples task = SequenceSamples.generate("copy", "copy", 3, 640);
        RecordingSink often = new RecordingSink(), once = new RecordingSink();
        Object[] base = {"cell", "gru", "embedding", 8, "layers", 1, "hidden", 16, "batchSize", 32, "dropout", 0.1,
                "optimizer", "adam", "lr", 0.01, "epochs", 2, "logEvery", 5};
        FAMILY.train(job(task, base), often);
        Object[] perEpoch = java.util.Arrays.copyOf(base, base.length + 2);
        perEpoch[base.length] = "valEvery";
        perEpoch[base.length + 1] = 1_000_000;
        FAMILY.train(job(task, perEpoch), once);
        assertThat(often.metrics()).filteredOn(m -> m.key().equals("val_loss")).extracting(RecordingSink.Metric::step)
                .as("640 / 32 = 20 steps an epoch: every 5 steps within it, and at its end").containsExactly(5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L);
        assertThat(often.values("val_acc")).hasSize(8);
        assertThat(once.values("val_loss")).as("per epoch only").hasSize(2);
        assertThat(often.values("train_loss")).containsExactlyElementsOf(once.values("train_loss"));
        assertThat(often.last("val_loss")).isEqualTo(once.last("val_loss"));
    }
}
